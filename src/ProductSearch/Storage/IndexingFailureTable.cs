using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ProductSearch.Storage;

/// <summary>
/// One row per image that could not be indexed for a reason in its bytes: PartitionKey is the category,
/// RowKey the image name (both through <see cref="TableKeyCodec"/>), so a category's failures are one
/// partition query. A later successful index of the image removes its row. A blob refused for its name, which
/// may be no key at all (too long once escaped, or no category), has its row in <see cref="InvalidNamesPartition"/>
/// instead, keyed by a hash of its container and full name.
/// </summary>
public sealed class IndexingFailureTable
{
    /// <summary>
    /// The partition of blobs refused for their names. No category can have this key: <see cref="TableKeyCodec"/>
    /// escapes '~' in every category.
    /// </summary>
    public const string InvalidNamesPartition = "~invalid-names";

    /// <summary>The <see cref="IndexingFailure.Reason"/> of a blob refused for its name.</summary>
    public const string InvalidNameReason = "InvalidName";

    private const string ContainerProperty = "Container";

    private readonly TimeProvider _time;
    private readonly CreatedOnce _created;

    public IndexingFailureTable(TableServiceClient service, IOptions<IndexingFailureTableOptions> options, TimeProvider time)
    {
        Client = service.GetTableClient(options.Value.FailuresTable);
        _created = new CreatedOnce(() => Client.CreateIfNotExistsAsync());
        _time = time;
    }

    public TableClient Client { get; }

    /// <summary>Records (or replaces) the image's failure; the latest rejected version wins.</summary>
    public async Task RecordAsync(
        string category, string imageId, string blobETag, string? blobVersionId, DateTimeOffset blobLastModified,
        string reason, string message, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var entity = Row(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), imageId, blobETag, blobVersionId, blobLastModified, reason, message);
        await Client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes the image's failure row, if any: one request, a 404 is the usual answer.</summary>
    public async Task ClearAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteEntityAsync(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (MissingTable.IsMissing(e))
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
        catch (RequestFailedException e) when (MissingTable.IsMissing(e))
        {
            return null;
        }
    }

    /// <summary>Every failure of a category, for operators and the reconciler.</summary>
    public Task<List<IndexingFailure>> ReadCategoryAsync(string category, CancellationToken cancellationToken) =>
        ReadAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)}"), cancellationToken);

    /// <summary>
    /// Records that this version of the blob is refused for its name, with the rule it breaks. Idempotent: when the row
    /// already names this version, nothing is written and the answer is false.
    /// </summary>
    public async Task<bool> RecordInvalidNameAsync(
        string container, string blobName, string blobETag, string? blobVersionId, DateTimeOffset blobLastModified,
        string rule, CancellationToken cancellationToken)
    {
        if (await GetInvalidNameAsync(container, blobName, cancellationToken) is { } recorded && recorded.BlobETag == blobETag)
        {
            return false;
        }

        await EnsureCreatedAsync(cancellationToken);
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        var entity = Row(
            InvalidNamesPartition, InvalidNameRowKey(container, blobName), slash > 0 ? blobName[(slash + 1)..] : blobName,
            blobETag, blobVersionId, blobLastModified, InvalidNameReason, rule);
        entity[ContainerProperty] = container;
        entity[nameof(IndexingFailure.BlobName)] = blobName;
        entity[nameof(IndexingFailure.Category)] = slash > 0 ? blobName[..slash] : "";
        await Client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    private TableEntity Row(
        string partitionKey, string rowKey, string imageId, string blobETag, string? blobVersionId, DateTimeOffset blobLastModified, string reason, string message) =>
        new(partitionKey, rowKey)
        {
            [nameof(IndexingFailure.ImageId)] = imageId,
            [nameof(IndexingFailure.BlobETag)] = blobETag,
            [nameof(IndexingFailure.BlobVersionId)] = blobVersionId,
            [nameof(IndexingFailure.BlobLastModified)] = blobLastModified,
            [nameof(IndexingFailure.Reason)] = reason,
            [nameof(IndexingFailure.Message)] = message,
            [nameof(IndexingFailure.FailedAt)] = _time.GetUtcNow(),
        };

    public async Task<IndexingFailure?> GetInvalidNameAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Client.GetEntityIfExistsAsync<TableEntity>(
                InvalidNamesPartition, InvalidNameRowKey(container, blobName), cancellationToken: cancellationToken);
            return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
        }
        catch (RequestFailedException e) when (MissingTable.IsMissing(e))
        {
            return null;
        }
    }

    /// <summary>Removes the row of a blob refused for its name, if any (the blob is gone).</summary>
    public async Task ClearInvalidNameAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteEntityAsync(InvalidNamesPartition, InvalidNameRowKey(container, blobName), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (MissingTable.IsMissing(e))
        {
            // No row, or no table yet.
        }
    }

    /// <summary>Every blob of <paramref name="container"/> refused for its name: one partition query.</summary>
    public Task<List<IndexingFailure>> ReadInvalidNamesAsync(string container, CancellationToken cancellationToken) =>
        // The property name is part of the filter's text: an interpolated argument would be quoted as a value.
        ReadAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {InvalidNamesPartition} and Container eq {container}"), cancellationToken);

    private async Task<List<IndexingFailure>> ReadAllAsync(string filter, CancellationToken cancellationToken)
    {
        var failures = new List<IndexingFailure>();
        // No table yet: nothing has failed.
        await MissingTable.OrAsync(async () =>
        {
            await foreach (var entity in Client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                failures.Add(FromEntity(entity));
            }

            return true;
        }, false);
        return failures;
    }

    /// <summary>
    /// Lower-case hex SHA-256 of <c>container/blob name</c> (UTF-8): 64 characters whatever the name, and a failures
    /// table shared by two containers keeps their rows apart.
    /// </summary>
    public static string InvalidNameRowKey(string container, string blobName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{blobName}")));

    private static IndexingFailure FromEntity(TableEntity entity) => entity.PartitionKey == InvalidNamesPartition
        ? FromInvalidNameEntity(entity)
        : new IndexingFailure(
            TableKeyCodec.Decode(entity.PartitionKey),
            entity.GetString(nameof(IndexingFailure.ImageId)) ?? TableKeyCodec.Decode(entity.RowKey),
            entity.GetString(nameof(IndexingFailure.BlobETag)) ?? "",
            entity.GetString(nameof(IndexingFailure.BlobVersionId)),
            entity.GetDateTimeOffset(nameof(IndexingFailure.BlobLastModified)) ?? DateTimeOffset.MinValue,
            entity.GetString(nameof(IndexingFailure.Reason)) ?? "",
            entity.GetString(nameof(IndexingFailure.Message)) ?? "",
            entity.GetDateTimeOffset(nameof(IndexingFailure.FailedAt)) ?? DateTimeOffset.MinValue);

    private static IndexingFailure FromInvalidNameEntity(TableEntity entity) => new(
        entity.GetString(nameof(IndexingFailure.Category)) ?? "",
        entity.GetString(nameof(IndexingFailure.ImageId)) ?? "",
        entity.GetString(nameof(IndexingFailure.BlobETag)) ?? "",
        entity.GetString(nameof(IndexingFailure.BlobVersionId)),
        entity.GetDateTimeOffset(nameof(IndexingFailure.BlobLastModified)) ?? DateTimeOffset.MinValue,
        entity.GetString(nameof(IndexingFailure.Reason)) ?? InvalidNameReason,
        entity.GetString(nameof(IndexingFailure.Message)) ?? "",
        entity.GetDateTimeOffset(nameof(IndexingFailure.FailedAt)) ?? DateTimeOffset.MinValue)
    {
        BlobName = entity.GetString(nameof(IndexingFailure.BlobName)) ?? "",
    };

    // The attempt is shared, so one caller's cancellation stops its own wait, not the creation.
    private Task EnsureCreatedAsync(CancellationToken cancellationToken) => _created.EnsureAsync().WaitAsync(cancellationToken);
}
