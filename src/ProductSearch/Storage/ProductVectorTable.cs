using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ProductSearch.Storage;

/// <summary>
/// The vectors table. One partition per category holds the image rows and, after them, the category's
/// <see cref="Storage.ChangeLog"/>, then its products' attributes: rows <c>~product~&lt;encoded product id&gt;</c>.
/// Every write or delete of an image or a product commits its log row in the same entity-group transaction, so a
/// reader that polls the log never misses a change and never sees a vector without its log row, or the reverse.
/// </summary>
public sealed class ProductVectorTable
{
    // Every encoded image key sorts below '~' (see TableKeyCodec), every log row at or above it.
    private const string ImageKeyUpperBound = "~";

    private readonly CreatedOnce _created;

    public ProductVectorTable(TableServiceClient service, IOptions<StorageOptions> options, TimeProvider time)
    {
        Client = service.GetTableClient(options.Value.VectorTable);
        _created = new CreatedOnce(() => Client.CreateIfNotExistsAsync());
        ChangeLog = new ChangeLog(Client, TimeSpan.FromHours(options.Value.ChangeLogRetentionHours), time);
        Products = new ProductRows(Client, ChangeLog, _created);
        Matrices = new CategoryMatrixReader(Client, options.Value.LoadRangeSplitKeys, ImageKeyUpperBound, Products);
    }

    public TableClient Client { get; }

    /// <summary>The category partitions' change log, written with every change here.</summary>
    internal ChangeLog ChangeLog { get; }

    /// <summary>The products' attribute rows, after the log in each category's partition.</summary>
    internal ProductRows Products { get; }

    /// <summary>A category's vectors read straight into a matrix, the cache's cold load.</summary>
    internal CategoryMatrixReader Matrices { get; }

    /// <summary>Creates the table once per process; a failed attempt (storage down) is not cached, the next call tries again.</summary>
    public Task EnsureCreatedAsync() => _created.EnsureAsync();

    internal async Task<IndexedVersion?> GetVersionAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var response = await Client.GetEntityIfExistsAsync<TableEntity>(
            TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), VectorEntityCodec.VersionProperties, cancellationToken);
        return response.HasValue && response.Value is { } entity
            ? new IndexedVersion(
                entity.GetString(nameof(ProductVector.BlobETag)) ?? "",
                entity.GetDateTimeOffset(nameof(ProductVector.BlobLastModified)) ?? DateTimeOffset.MinValue,
                entity.ETag,
                entity.GetString(nameof(ProductVector.ColourId)),
                entity.GetString(nameof(ProductVector.Thumbnail)))
            : null;
    }

    public async Task<ProductVector?> GetAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        var response = await MissingTable.OrAsync(
            () => Client.GetEntityIfExistsAsync<TableEntity>(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId), cancellationToken: cancellationToken));
        return response is { HasValue: true, Value: { } entity } ? VectorEntityCodec.FromEntity(entity) : null;
    }

    /// <summary>
    /// Writes the vector and its log row atomically, only if the stored row is still <paramref name="expected"/>
    /// (absent when null). Returns false when another writer got there first: the caller decides again.
    /// </summary>
    internal async Task<bool> TryWriteAsync(ProductVector vector, IndexedVersion? expected, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync();
        var entity = VectorEntityCodec.ToEntity(vector);
        TableTransactionAction write = expected is null
            ? new(TableTransactionActionType.Add, entity)
            : new(TableTransactionActionType.UpdateReplace, entity, expected.EntityETag);
        return await SubmitWithLogAsync(write, vector.Category, vector.ImageId, cancellationToken);
    }

    /// <summary>
    /// Merges a colour descriptor and/or a thumbnail name into the stored row, leaving its CNN vector as it is, with a log
    /// row so caches pick it up; only if the row is still <paramref name="expected"/>. False when another writer got there first.
    /// </summary>
    internal async Task<bool> TryFillAsync(
        string category, string imageId, (string Id, float[] Values)? colour, string? thumbnail, IndexedVersion expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        await EnsureCreatedAsync();
        var merge = new TableTransactionAction(
            TableTransactionActionType.UpdateMerge, VectorEntityCodec.FillEntity(category, imageId, colour, thumbnail), expected.EntityETag);
        return await SubmitWithLogAsync(merge, category, imageId, cancellationToken);
    }

    /// <summary>Deletes an image's vector with its log row; false when there was nothing to delete.</summary>
    public async Task<bool> DeleteAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        var current = await GetVersionAsync(category, imageId, cancellationToken);
        if (current is null)
        {
            return false;
        }

        var entity = new TableEntity(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId));
        var delete = new TableTransactionAction(TableTransactionActionType.Delete, entity, current.EntityETag);
        return await SubmitWithLogAsync(delete, category, imageId, cancellationToken);
    }

    /// <summary>Streams every vector of a category, page by page.</summary>
    public async IAsyncEnumerable<ProductVector> ReadCategoryAsync(string category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in ReadImageRowPagesAsync(category, 1000, null, cancellationToken))
        {
            foreach (var entity in page)
            {
                yield return VectorEntityCodec.FromEntity(entity);
            }
        }
    }

    /// <summary>
    /// A category's image rows without their vectors: each image's model and the attributes its metadata carried that
    /// were refused (what the catalogue's statistics count).
    /// </summary>
    public async IAsyncEnumerable<ImageRowSummary> ReadImageSummariesAsync(string category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] select = ["RowKey", nameof(ProductVector.ImageId), nameof(ProductVector.ModelId), nameof(ProductVector.RefusedAttributes)];
        await foreach (var page in ReadImageRowPagesAsync(category, 1000, select, cancellationToken))
        {
            foreach (var entity in page)
            {
                yield return new ImageRowSummary(
                    ImageIdOf(entity),
                    entity.GetString(nameof(ProductVector.ModelId)),
                    entity.GetString(nameof(ProductVector.RefusedAttributes)) is { Length: > 0 } reasons ? reasons.Split('\n') : []);
            }
        }
    }

    // What reconciling the table with the images container needs: cheap listings and a guarded delete.

    /// <summary>
    /// Every category with rows, one request each: ask for the first row after the last category seen
    /// (a skip scan), instead of reading every row to collect distinct partition keys.
    /// </summary>
    public async IAsyncEnumerable<string> ListCategoriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        while (true)
        {
            var filter = last is null ? null : TableClient.CreateQueryFilter($"PartitionKey gt {last}");
            string? next = null;
            try
            {
                await foreach (var entity in Client.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
                {
                    next = entity.PartitionKey;
                    break;
                }
            }
            catch (RequestFailedException e) when (MissingTable.IsMissing(e))
            {
                // No table yet: no category.
            }

            if (next is null)
            {
                yield break;
            }

            last = next;
            yield return TableKeyCodec.Decode(next);
        }
    }

    /// <summary>A category's image rows, page by page, without their vectors (only the name, the entity's ETag and the blob's).</summary>
    internal async IAsyncEnumerable<IReadOnlyList<StoredImageKey>> ReadImageKeyPagesAsync(
        string category, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[] select = ["RowKey", nameof(ProductVector.ImageId), nameof(ProductVector.BlobETag)];
        await foreach (var page in ReadImageRowPagesAsync(category, pageSize, select, cancellationToken))
        {
            yield return page.Select(e => new StoredImageKey(ImageIdOf(e), e.ETag, e.GetString(nameof(ProductVector.BlobETag)) ?? "")).ToList();
        }
    }

    /// <summary>
    /// Deletes the image's vector with its change-log row only if the row is still the version the caller
    /// saw: an image re-uploaded and re-indexed since the caller decided is not deleted. False otherwise.
    /// </summary>
    public async Task<bool> DeleteIfUnchangedAsync(string category, string imageId, ETag entityETag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId));
        return await SubmitWithLogAsync(new TableTransactionAction(TableTransactionActionType.Delete, entity, entityETag), category, imageId, cancellationToken);
    }

    // The image rows only: the change log and the product rows sort at or after '~'. A missing table has none.
    private async IAsyncEnumerable<IReadOnlyList<TableEntity>> ReadImageRowPagesAsync(
        string category, int pageSize, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey lt {ImageKeyUpperBound}");
        var pages = Client.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: select, cancellationToken: cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await MissingTable.OrAsync(async () => await enumerator.MoveNextAsync(), false))
        {
            yield return enumerator.Current.Values;
        }
    }

    private static string ImageIdOf(TableEntity entity) => entity.GetString(nameof(ProductVector.ImageId)) ?? TableKeyCodec.Decode(entity.RowKey);

    private Task<bool> SubmitWithLogAsync(TableTransactionAction action, string category, string imageId, CancellationToken cancellationToken) =>
        ChangeLog.CommitAsync(action, category, cancellationToken, ("ImageId", imageId), ("Change", action.ActionType == TableTransactionActionType.Delete ? "delete" : "write"));
}
