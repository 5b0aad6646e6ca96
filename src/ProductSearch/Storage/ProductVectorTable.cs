using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace ProductSearch.Storage;

/// <summary>
/// The vectors table. One partition per category holds the image rows and, after them, the category's
/// <see cref="Storage.ChangeLog"/>, then its products' attributes: rows <c>~product~&lt;encoded product id&gt;</c>.
/// Every write or delete of an image or a product commits its log row in the same entity-group transaction, so a
/// reader that polls the log never misses a change and never sees a vector without its log row, or the reverse.
/// </summary>
public sealed partial class ProductVectorTable
{
    // Every encoded image key sorts below '~' (see TableKeyCodec), every log row at or above it.
    private const string ImageKeyUpperBound = "~";

    private readonly IReadOnlyList<string> _loadRangeSplits;
    private readonly CreatedOnce _created;

    public ProductVectorTable(TableServiceClient service, IOptions<StorageOptions> options, TimeProvider time)
    {
        Client = service.GetTableClient(options.Value.VectorTable);
        _created = new CreatedOnce(() => Client.CreateIfNotExistsAsync());
        ChangeLog = new ChangeLog(Client, TimeSpan.FromHours(options.Value.ChangeLogRetentionHours), time);
        _loadRangeSplits = options.Value.LoadRangeSplitKeys;
    }

    public TableClient Client { get; }

    /// <summary>The category partitions' change log, written with every change here.</summary>
    internal ChangeLog ChangeLog { get; }

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
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey lt {ImageKeyUpperBound}");
        var pages = Client.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await MissingTable.OrAsync(async () => await enumerator.MoveNextAsync(), false))
        {
            foreach (var entity in enumerator.Current.Values)
            {
                yield return VectorEntityCodec.FromEntity(entity);
            }
        }
    }

    private Task<bool> SubmitWithLogAsync(TableTransactionAction action, string category, string imageId, CancellationToken cancellationToken) =>
        SubmitWithLogAsync(action, category, cancellationToken, ("ImageId", imageId), ("Change", action.ActionType == TableTransactionActionType.Delete ? "delete" : "write"));

    private async Task<bool> SubmitWithLogAsync(
        TableTransactionAction action, string category, CancellationToken cancellationToken, params (string Name, string Value)[] says)
    {
        try
        {
            await Client.SubmitTransactionAsync([action, ChangeLog.RowFor(category, says)], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }
}
