namespace ProductSearch.Infra.Tests;

/// <summary>A built-in Azure role: its control-plane actions and data actions, as its role definition lists them.</summary>
internal sealed record BuiltInRole(string Id, string Name, string[] Actions, string[] DataActions)
{
    public IEnumerable<string> Permissions => Actions.Concat(DataActions);

    /// <summary>True when an action or data action of this role matches the permission (a trailing * matches any rest).</summary>
    public bool Allows(string permission) => Permissions.Any(granted => granted.EndsWith('*')
        ? permission.StartsWith(granted[..^1], StringComparison.OrdinalIgnoreCase)
        : string.Equals(granted, permission, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The storage data roles of Azure's built-in role list (Azure RBAC, "Azure built-in roles for Storage"), copied
/// from their role definitions, so the tests can tell what a granted role allows and whether a smaller one would do.
/// </summary>
internal static class BuiltInRoles
{
    private const string Blobs = "Microsoft.Storage/storageAccounts/blobServices";
    private const string Queues = "Microsoft.Storage/storageAccounts/queueServices";
    private const string Tables = "Microsoft.Storage/storageAccounts/tableServices";

    public static IReadOnlyList<BuiltInRole> Storage { get; } =
    [
        new("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner",
            [$"{Blobs}/containers/*", $"{Blobs}/generateUserDelegationKey/action"],
            [$"{Blobs}/containers/blobs/*"]),
        new("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor",
            [$"{Blobs}/containers/delete", $"{Blobs}/containers/read", $"{Blobs}/containers/write", $"{Blobs}/generateUserDelegationKey/action"],
            [$"{Blobs}/containers/blobs/delete", $"{Blobs}/containers/blobs/read", $"{Blobs}/containers/blobs/write", $"{Blobs}/containers/blobs/move/action", $"{Blobs}/containers/blobs/add/action"]),
        new("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader",
            [$"{Blobs}/containers/read", $"{Blobs}/generateUserDelegationKey/action"],
            [$"{Blobs}/containers/blobs/read"]),
        new("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor",
            [$"{Queues}/queues/delete", $"{Queues}/queues/read", $"{Queues}/queues/write"],
            [$"{Queues}/queues/messages/delete", $"{Queues}/queues/messages/read", $"{Queues}/queues/messages/write", $"{Queues}/queues/messages/move/action", $"{Queues}/queues/messages/add/action", $"{Queues}/queues/messages/process/action"]),
        new("8a0f0c08-91a1-4084-bc3d-661d67233fed", "Storage Queue Data Message Processor",
            [],
            [$"{Queues}/queues/messages/read", $"{Queues}/queues/messages/process/action"]),
        new("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender",
            [],
            [$"{Queues}/queues/messages/add/action"]),
        new("19e7f393-937e-4f77-808e-94535e297925", "Storage Queue Data Reader",
            [$"{Queues}/queues/read"],
            [$"{Queues}/queues/messages/read"]),
        new("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor",
            [$"{Tables}/tables/read", $"{Tables}/tables/write", $"{Tables}/tables/delete"],
            [$"{Tables}/tables/entities/read", $"{Tables}/tables/entities/write", $"{Tables}/tables/entities/delete", $"{Tables}/tables/entities/add/action", $"{Tables}/tables/entities/update/action"]),
        new("76199698-9eea-4c19-bc75-cec21354c6b6", "Storage Table Data Reader",
            [$"{Tables}/tables/read"],
            [$"{Tables}/tables/entities/read"]),
    ];

    public static BuiltInRole? ById(string id) =>
        Storage.SingleOrDefault(role => string.Equals(role.Id, id, StringComparison.OrdinalIgnoreCase));
}
