using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ProductSearch.Storage;

/// <summary>
/// One row per image that could not be indexed for a reason in its bytes: PartitionKey is the category,
/// RowKey the image name (both through <see cref="TableKeyCodec"/>), so a category's failures are one
/// partition query. A later successful index of the image removes its row.
/// </summary>
public sealed class IndexingFailureTable
{
    private readonly TimeProvider _time;
    private volatile bool _created;

    public IndexingFailureTable(TableServiceClient service, IOptions<IndexingFailureTableOptions> options, TimeProvider time)
    {
        Client = service.GetTableClient(options.Value.FailuresTable);
        _time = time;
    }

    public TableClient Client { get; }

    /// <summary>Records (or replaces) the image's failure; the latest rejected version wins.</summary>
    public async Task RecordAsync(
        string category, string imageId, string blobETag, string? blobVersionId, DateTimeOffset blobLastModified,
        string reason, string message, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var entity = new TableEntity(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId))
        {
            [nameof(IndexingFailure.ImageId)] = imageId,
            [nameof(IndexingFailure.BlobETag)] = blobETag,
            [nameof(IndexingFailure.BlobVersionId)] = blobVersionId,
            [nameof(IndexingFailure.BlobLastModified)] = blobLastModified,
            [nameof(IndexingFailure.Reason)] = reason,
            [nameof(IndexingFailure.Message)] = message,
            [nameof(IndexingFailure.FailedAt)] = _time.GetUtcNow(),
        };
        await Client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes the image's failure row, if any: one request, a 404 is the usual answer.</summary>
    public async Task ClearAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteEntityAsync(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No row, or no table yet: nothing failed before.
        }
    }

    public async Task<IndexingFailure?> GetAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client.GetEntityIfExistsAsync<TableEntity>(
                TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), cancellationToken: cancellationToken);
            return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Every failure of a category, for operators and the reconciler.</summary>
    public async Task<List<IndexingFailure>> ReadCategoryAsync(string category, CancellationToken cancellationToken)
    {
        var failures = new List<IndexingFailure>();
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)}");
            await foreach (var entity in Client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                failures.Add(FromEntity(entity));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing has failed.
        }

        return failures;
    }

    private static IndexingFailure FromEntity(TableEntity entity) => new(
        TableKeyCodec.Decode(entity.PartitionKey),
        entity.GetString(nameof(IndexingFailure.ImageId)) ?? TableKeyCodec.Decode(entity.RowKey),
        entity.GetString(nameof(IndexingFailure.BlobETag)) ?? "",
        entity.GetString(nameof(IndexingFailure.BlobVersionId)),
        entity.GetDateTimeOffset(nameof(IndexingFailure.BlobLastModified)) ?? DateTimeOffset.MinValue,
        entity.GetString(nameof(IndexingFailure.Reason)) ?? "",
        entity.GetString(nameof(IndexingFailure.Message)) ?? "",
        entity.GetDateTimeOffset(nameof(IndexingFailure.FailedAt)) ?? DateTimeOffset.MinValue);

    // Not a cached Lazy<Task>: a creation that failed while storage was down must be tried again later.
    // Racing first calls may both create; CreateIfNotExists makes that harmless.
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await Client.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }
}
