using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace ProductSearch.Storage;

/// <summary>What reconciling the table with the images container needs: cheap listings and a guarded delete.</summary>
public sealed partial class ProductVectorTable
{
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
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey lt {ImageKeyUpperBound}");
        var pages = Client.QueryAsync<TableEntity>(
            filter, maxPerPage: pageSize, select: ["RowKey", nameof(ProductVector.ImageId), nameof(ProductVector.BlobETag)], cancellationToken: cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await MissingTable.OrAsync(async () => await enumerator.MoveNextAsync(), false))
        {
            yield return enumerator.Current.Values
                .Select(e => new StoredImageKey(
                    e.GetString(nameof(ProductVector.ImageId)) ?? TableKeyCodec.Decode(e.RowKey), e.ETag, e.GetString(nameof(ProductVector.BlobETag)) ?? ""))
                .ToList();
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
}
