using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ProductSearch.Indexing;

namespace ProductSearch.Functions;

/// <summary>Indexes a product photo the moment it lands under <c>&lt;container&gt;/&lt;category&gt;/&lt;name&gt;</c>.</summary>
public sealed class IndexProductImage(ProductImageIndexer indexer, ILogger<IndexProductImage> logger)
{
    // A trigger's container cannot be a binding expression, only an app setting, so the category is the first path segment.
    public const string BlobPath = "%Storage:ImagesContainer%/{category}/{name}";

    // Azure pushes uploads through Event Grid (seconds, no scanning; the only source Flex Consumption runs), so
    // Release builds use it; Azurite has no Event Grid, so Debug builds (func start) poll the container.
#if BLOB_TRIGGER_EVENT_GRID
    public const BlobTriggerSource Source = BlobTriggerSource.EventGrid;
#else
    public const BlobTriggerSource Source = BlobTriggerSource.LogsAndContainerScan;
#endif

    [Function(nameof(IndexProductImage))]
    public async Task RunAsync(
        [BlobTrigger(BlobPath, Connection = "ProductStorage", Source = Source)] BlobClient blob,
        string category,
        CancellationToken cancellationToken)
    {
        // Bad images return a Rejected result (never retried); only transient faults throw, so the host retries them.
        var result = await indexer.IndexAsync(blob, cancellationToken);
        logger.LogInformation(
            "Blob {BlobName} in {Category}: {Outcome} {Reason}", blob.Name, category, result.Outcome, result.Reason ?? "");
    }
}
