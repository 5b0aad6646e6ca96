namespace ProductSearch.Storage;

/// <summary>
/// One kind of storage request made through a connection, named by the Azure RBAC permission that authorises it
/// (a data action, or an action for creating a container, table or queue), with what it is for.
/// </summary>
public sealed record StorageOperation(string Connection, string Permission, string UsedFor);

/// <summary>Azure RBAC permissions of the storage data plane, as role definitions spell them.</summary>
public static class StoragePermissions
{
    public const string BlobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    public const string BlobWrite = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write";
    public const string BlobDelete = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete";
    public const string ContainerCreate = "Microsoft.Storage/storageAccounts/blobServices/containers/write";

    public const string TableCreate = "Microsoft.Storage/storageAccounts/tableServices/tables/write";
    public const string EntityRead = "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read";
    public const string EntityInsert = "Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action";
    public const string EntityUpdate = "Microsoft.Storage/storageAccounts/tableServices/tables/entities/update/action";
    public const string EntityUpsert = "Microsoft.Storage/storageAccounts/tableServices/tables/entities/write";
    public const string EntityDelete = "Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete";

    public const string QueueCreate = "Microsoft.Storage/storageAccounts/queueServices/queues/write";
    public const string MessageAdd = "Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action";
    public const string MessageRead = "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read";
    public const string MessageProcess = "Microsoft.Storage/storageAccounts/queueServices/queues/messages/process/action";
    public const string MessageDelete = "Microsoft.Storage/storageAccounts/queueServices/queues/messages/delete";
}

/// <summary>
/// Every kind of request this library sends to the catalogue account (the <see cref="StorageOptions.Connection"/>
/// connection): the list the deployed identity's roles are checked against. An integration test records what indexing,
/// search, listing, delete, reconciliation, repair and change-log trimming really send and fails on anything not listed.
/// </summary>
public static class StorageOperations
{
    public const string CatalogueConnection = "ProductStorage";

    public static IReadOnlyList<StorageOperation> Catalogue { get; } =
    [
        new(CatalogueConnection, StoragePermissions.BlobRead, "read an image's properties and bytes to index it; list a category's images (listing, backfill, reconciliation)"),
        new(CatalogueConnection, StoragePermissions.BlobWrite, "write an indexed image's thumbnail (indexing, backfill)"),
        new(CatalogueConnection, StoragePermissions.BlobDelete, "DELETE /categories/{category}/products/{id} deletes the image and its thumbnails; a re-index or reconciliation deletes replaced ones"),
        new(CatalogueConnection, StoragePermissions.ContainerCreate, "create the thumbnails container on first use"),
        new(CatalogueConnection, StoragePermissions.TableCreate, "create the vector and failure tables on first use"),
        new(CatalogueConnection, StoragePermissions.EntityRead, "read vectors, change-log rows and failure rows"),
        new(CatalogueConnection, StoragePermissions.EntityInsert, "write a new vector and its change-log row"),
        new(CatalogueConnection, StoragePermissions.EntityUpdate, "replace a re-indexed image's vector only if unchanged since read"),
        new(CatalogueConnection, StoragePermissions.EntityUpsert, "record an image's indexing failure"),
        new(CatalogueConnection, StoragePermissions.EntityDelete, "delete vectors (delete, reconciliation), old change-log rows and cleared failures"),
    ];
}
