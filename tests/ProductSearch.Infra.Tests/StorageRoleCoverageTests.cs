using System.Text.Json.Nodes;
using ProductSearch.Functions;
using ProductSearch.Infra.Tests.Arm;
using ProductSearch.Storage;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// The function identity's storage roles follow from what runs: the library's requests
/// (<see cref="StorageOperations.Catalogue"/>, which an integration test keeps true to the code) and the host's and
/// blob trigger's (<see cref="HostStorageOperations"/>). Azurite enforces no roles, so only this catches a missing
/// grant before Azure does (a DELETE answering 500, a host logging 403s).
/// </summary>
[Collection(MainTemplateCollectionDefinition.Name)]
public class StorageRoleCoverageTests(MainTemplateFixture fixture)
{
    // Which account each connection's settings point at, by the account-name prefix main.bicep gives it.
    private static readonly Dictionary<string, string> AccountOf = new(StringComparer.Ordinal)
    {
        [StorageOperations.CatalogueConnection] = "stcat",
        [HostStorageOperations.HostConnection] = "sthost",
    };

    // Wider than the operations need (Contributor covers them): kept because the Functions docs on host storage name
    // Blob Data Owner as the host's requirement, and the host's blob use is not ours to enumerate exhaustively.
    private static readonly HashSet<(string Role, string Account)> DocumentedWiderGrants = [("Storage Blob Data Owner", "sthost")];

    private static readonly string[] Services = ["blob", "queue", "table"];

    private readonly CompiledTemplate _template = fixture.Template;

    public static TheoryData<string, string, string> Operations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var operation in StorageOperations.Catalogue.Concat(HostStorageOperations.All))
        {
            data.Add(operation.Connection, operation.Permission, operation.UsedFor);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryStorageOperationIsAllowedByARoleOfTheFunctionIdentityOnItsAccount(string connection, string permission, string usedFor)
    {
        var roles = Grants().Where(grant => grant.Account == AccountOf[connection]).Select(grant => grant.Role).ToList();

        Assert.True(
            roles.Any(role => role.Allows(permission)),
            $"{connection} ({usedFor}) needs {permission}; the identity holds only [{string.Join(", ", roles.Select(role => role.Name))}] there.");
    }

    [Fact]
    public void EveryStorageRoleIsNeededAndNoSmallerBuiltInRoleCoversWhatItIsNeededFor()
    {
        var grants = Grants();
        foreach (var grant in grants)
        {
            var others = grants.Where(other => other != grant && other.Account == grant.Account).ToList();
            var neededFor = OperationsOn(grant.Account)
                .Where(permission => grant.Role.Allows(permission) && !others.Any(other => other.Role.Allows(permission)))
                .ToList();
            Assert.True(neededFor.Count > 0, $"{grant.Role.Name} on {grant.Account} allows nothing the app does there that its other roles do not.");

            if (!DocumentedWiderGrants.Contains((grant.Role.Name, grant.Account)))
            {
                var smaller = BuiltInRoles.Storage.Where(role => role != grant.Role
                    && role.Permissions.Count() < grant.Role.Permissions.Count()
                    && role.Permissions.All(grant.Role.Allows)
                    && neededFor.All(role.Allows));
                Assert.True(!smaller.Any(), $"{grant.Role.Name} on {grant.Account} is wider than needed: {string.Join(", ", smaller.Select(role => role.Name))} would do.");
            }
        }
    }

    [Fact]
    public void EachStorageServiceAConnectionIsGivenHasARoleAndNoOtherServiceHasOne()
    {
        var settings = ((KnownValue)Assert.Single(_template.Deployed("Microsoft.Web/sites/config")).Evaluate("properties")).Node!.AsObject();
        foreach (var (connection, account) in AccountOf)
        {
            var configured = Services.Where(service => settings.ContainsKey($"{connection}__{service}ServiceUri"));
            var granted = Services.Where(service => Grants().Any(grant => grant.Account == account
                && grant.Role.Permissions.Any(permission => permission.Contains($"/{service}Services/", StringComparison.Ordinal))));

            Assert.Equal(configured, granted);
        }
    }

    private static IEnumerable<string> OperationsOn(string account) => StorageOperations.Catalogue.Concat(HostStorageOperations.All)
        .Where(operation => AccountOf[operation.Connection] == account)
        .Select(operation => operation.Permission)
        .Distinct(StringComparer.Ordinal);

    private List<(BuiltInRole Role, string Account)> Grants() => RoleAssignment.AllIn(_template)
        .Where(assignment => assignment.IsFunctionIdentity && assignment.Scope.Contains("/Microsoft.Storage/storageAccounts/", StringComparison.Ordinal))
        .Select(assignment => (
            BuiltInRoles.ById(assignment.RoleId) ?? throw new InvalidOperationException($"Role {assignment.RoleId} is not a storage data role this test knows."),
            AccountOf.Values.Single(prefix => assignment.Scope.Contains($"/Microsoft.Storage/storageAccounts/{prefix}", StringComparison.Ordinal))))
        .ToList();
}
