using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>
/// What the Functions host and the blob extension do with storage for this app's triggers, beside what the library
/// does (<see cref="StorageOperations.Catalogue"/>). Not our code, so taken from the Functions documentation on host
/// storage and blob trigger permissions; the infra tests check the deployed roles allow every one.
/// </summary>
public static class HostStorageOperations
{
    public const string HostConnection = "AzureWebJobsStorage";

    public static IReadOnlyList<StorageOperation> All { get; } =
    [
        // Blobs: host locks, the key store, the timer's schedule monitor, blob receipts; the docs ask for Blob Data Owner.
        new(HostConnection, StoragePermissions.ContainerCreate, "host containers (azure-webjobs-hosts, azure-webjobs-secrets)"),
        new(HostConnection, StoragePermissions.BlobRead, "host locks, keys, timer schedule, blob receipts, the deployment package"),
        new(HostConnection, StoragePermissions.BlobWrite, "host locks, keys, timer schedule, blob receipts"),
        new(HostConnection, StoragePermissions.BlobDelete, "expired host locks and keys"),

        // Queues: the blob trigger queues each Event Grid event on a host queue before it runs the function.
        new(HostConnection, StoragePermissions.QueueCreate, "the blob trigger's host queue"),
        new(HostConnection, StoragePermissions.MessageAdd, "the blob trigger queues an event"),
        new(HostConnection, StoragePermissions.MessageRead, "the blob trigger dequeues an event"),
        new(HostConnection, StoragePermissions.MessageProcess, "the blob trigger dequeues an event"),
        new(HostConnection, StoragePermissions.MessageDelete, "the blob trigger completes an event"),

        // Tables: diagnostic events, written because AzureWebJobsStorage__tableServiceUri is set.
        new(HostConnection, StoragePermissions.TableCreate, "the host's monthly diagnostic-events table"),
        new(HostConnection, StoragePermissions.EntityUpsert, "the host's diagnostic events"),
        new(HostConnection, StoragePermissions.EntityRead, "the host's diagnostic events"),

        // The trigger's own connection: it reads the new blob and parks blobs that keep failing on a poison queue there.
        new(StorageOperations.CatalogueConnection, StoragePermissions.BlobRead, "the blob trigger reads the uploaded image"),
        new(StorageOperations.CatalogueConnection, StoragePermissions.QueueCreate, "the blob trigger creates webjobs-blobtrigger-poison"),
        new(StorageOperations.CatalogueConnection, StoragePermissions.MessageAdd, "the blob trigger parks a blob that kept failing"),
    ];
}
