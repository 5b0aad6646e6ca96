using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// The function app's identity must hold exactly these roles. The same list is in
/// infra/app/function-app-roles.bicep and in docs/deployment.md's "Identities and roles" table; why each is
/// needed is checked by <see cref="StorageRoleCoverageTests"/>.
/// </summary>
[Collection(MainTemplateCollectionDefinition.Name)]
public class FunctionIdentityRoleTests(MainTemplateFixture fixture)
{
    private const string HostStorage = "host storage";
    private const string CatalogueStorage = "catalogue storage";
    private const string ApplicationInsights = "Application Insights";

    private static readonly Dictionary<string, string> RoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] = "Storage Blob Data Reader",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    private static readonly string[] ExpectedFunctionIdentityRoles =
    [
        $"Storage Blob Data Owner on {HostStorage}",
        $"Storage Queue Data Contributor on {HostStorage}",
        $"Storage Table Data Contributor on {HostStorage}",
        $"Storage Blob Data Contributor on {CatalogueStorage}",
        $"Storage Table Data Contributor on {CatalogueStorage}",
        $"Storage Queue Data Contributor on {CatalogueStorage}",
        $"Monitoring Metrics Publisher on {ApplicationInsights}",
    ];

    private readonly CompiledTemplate _template = fixture.Template;

    [Fact]
    public void FunctionIdentity_HasExactlyTheListedRoles()
    {
        var granted = Assignments()
            .Where(assignment => assignment.IsFunctionIdentity)
            .Select(assignment => assignment.Description)
            .Order(StringComparer.Ordinal);

        Assert.Equal(ExpectedFunctionIdentityRoles.Order(StringComparer.Ordinal), granted);
    }

    [Fact]
    public void OtherRoleAssignments_OnlyLetTheOptionalUploaderWriteImagesAndTheOptionalOperatorRunTheCli()
    {
        // The Event Grid topic's own grant (the dead-letter container only) is checked in BlobEventSubscriptionTests.
        var others = Assignments()
            .Where(assignment => !assignment.IsFunctionIdentity && !assignment.Principal.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal))
            .ToList();

        var uploader = Assert.Single(others, assignment => assignment.Principal == "<<parameters('uploaderPrincipalId')>>");
        Assert.Equal($"Storage Blob Data Contributor on {CatalogueStorage}", uploader.Description);
        // The CLI reads images (backfill, reconcile) and writes vectors and failure rows; it never writes an image.
        var operatorRoles = others.Where(assignment => assignment.Principal == "<<parameters('operatorPrincipalId')>>").Select(assignment => assignment.Description);
        Assert.Equal([$"Storage Blob Data Reader on {CatalogueStorage}", $"Storage Table Data Contributor on {CatalogueStorage}"], operatorRoles.Order(StringComparer.Ordinal));
        Assert.Equal(3, others.Count);
    }

    [Fact]
    public void OperatorRoles_AreDeployedOnlyWhenAnOperatorIsNamed()
    {
        // Resources are keyed by symbolic name in a languageVersion 2.0 template (typed parameters make one), a list otherwise.
        var resources = _template.Root.Template["resources"] is JsonObject bySymbol ? bySymbol.Select(pair => pair.Value) : _template.Root.Template["resources"]!.AsArray();
        var module = Assert.Single(resources, resource => (string?)resource!["name"] == "operator-roles")!;

        Assert.Equal("[not(empty(parameters('operatorPrincipalId')))]", (string?)module["condition"]);
        Assert.Equal("\"\"", _template.Root.Parameters["operatorPrincipalId"]!["defaultValue"]!.ToJsonString());
    }

    [Fact]
    public void Template_DeploysOneUserAssignedIdentity()
    {
        Assert.Single(_template.Deployed("Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    private List<(string Description, string Principal, bool IsFunctionIdentity)> Assignments() => RoleAssignment.AllIn(_template)
        .Select(assignment => ($"{RoleNames.GetValueOrDefault(assignment.RoleId, assignment.RoleId)} on {ScopeName(assignment.Scope)}", assignment.Principal, assignment.IsFunctionIdentity))
        .ToList();

    private static string ScopeName(string scope) => scope switch
    {
        _ when scope.Contains("/Microsoft.Storage/storageAccounts/sthost", StringComparison.Ordinal) => HostStorage,
        _ when scope.Contains("/Microsoft.Storage/storageAccounts/stcat", StringComparison.Ordinal) => CatalogueStorage,
        _ when scope.Contains("/Microsoft.Insights/components/", StringComparison.Ordinal) => ApplicationInsights,
        _ => scope,
    };
}
