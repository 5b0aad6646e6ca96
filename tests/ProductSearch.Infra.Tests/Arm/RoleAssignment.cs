using System.Text.RegularExpressions;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>A role assignment the template deploys, loops expanded: built-in role id, scope and principal as evaluated offline.</summary>
internal sealed partial record RoleAssignment(string RoleId, string Scope, string Principal)
{
    /// <summary>The app's user-assigned identity, as opposed to the optional uploader.</summary>
    public bool IsFunctionIdentity =>
        Principal.Contains("/Microsoft.ManagedIdentity/userAssignedIdentities/", StringComparison.Ordinal)
        && Principal.EndsWith(".principalId>>", StringComparison.Ordinal);

    public static List<RoleAssignment> AllIn(CompiledTemplate template) => template.Deployed("Microsoft.Authorization/roleAssignments")
        .SelectMany(resource => Enumerable.Range(0, resource.CopyCount).Select(index => new RoleAssignment(
            RoleGuid(resource.Evaluate("properties.roleDefinitionId", index).Text),
            resource.Evaluate("scope", index).Text,
            resource.Evaluate("properties.principalId", index).Text)))
        .ToList();

    private static string RoleGuid(string roleDefinitionId)
    {
        var id = RoleDefinitionGuid().Match(roleDefinitionId);
        Assert.True(id.Success, $"Role definition is not a built-in role id: {roleDefinitionId}");
        return id.Groups[1].Value;
    }

    [GeneratedRegex("roleDefinitions/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", RegexOptions.IgnoreCase)]
    private static partial Regex RoleDefinitionGuid();
}
