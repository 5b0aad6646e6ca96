using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using ProductSearch.Products;

namespace ProductSearch.Storage;

/// <summary>
/// Products' attributes: one row per product in its category's partition, RowKey <c>~product~</c> + the encoded product
/// id, so it sorts after every image row (image keys are below '~') and after the change log ('p' &gt; 'l'): no image or
/// log range query meets one. A change commits a log row naming the product (<c>ProductId</c>, <c>Change = product</c>)
/// in the same transaction, so caches refresh its attributes from the log, as they do images, without running the model.
/// </summary>
internal sealed class ProductRows(TableClient client, ChangeLog log, CreatedOnce tableCreated)
{
    public const string ProductKeyPrefix = "~product~";

    // Encoded product ids never hold '~' (TableKeyCodec escapes it), so this bounds every product row.
    private const string ProductKeyUpperBound = ProductKeyPrefix + "~";

    private const int MaxWriteAttempts = 4;

    /// <summary>Whether <paramref name="productId"/> can name a product row (a table key of at most 1 KiB once encoded).</summary>
    public static bool IsValidProductId(string productId) =>
        !string.IsNullOrEmpty(productId) && !productId.Any(char.IsControl)
        && TableKeyCodec.TryEncode(productId, out var key) && key.Length + ProductKeyPrefix.Length <= TableKeyCodec.MaxKeyLength;

    /// <summary>The product's attributes, or null when none are stored.</summary>
    public async Task<ProductAttributes?> GetAsync(string category, string productId, CancellationToken cancellationToken) =>
        (await ReadRowAsync(category, productId, cancellationToken))?.Attributes;

    /// <summary>
    /// Replaces the product's attributes with what <paramref name="change"/> makes of the stored ones (null when none;
    /// returning null or empty attributes deletes the row), with a log row in the same transaction. Writes nothing when
    /// the result equals what is stored; retries when another writer changed the row meanwhile. True when it wrote.
    /// </summary>
    public async Task<bool> ChangeAsync(
        string category, string productId, Func<ProductAttributes?, ProductAttributes?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var partition = TableKeyCodec.Encode(category);
        var rowKey = ProductKey(productId);
        await tableCreated.EnsureAsync();
        for (var attempt = 1; ; attempt++)
        {
            var stored = await ReadRowAsync(category, productId, cancellationToken);
            var wanted = change(stored?.Attributes) is { IsEmpty: false } attributes ? attributes : null;
            if (Equals(wanted, stored?.Attributes))
            {
                return false;
            }

            TableTransactionAction action = (stored, wanted) switch
            {
                (null, _) => new(TableTransactionActionType.Add, ProductEntityCodec.ToEntity(partition, rowKey, productId, wanted!)),
                (_, null) => new(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), stored.ETag),
                _ => new(TableTransactionActionType.UpdateReplace, ProductEntityCodec.ToEntity(partition, rowKey, productId, wanted), stored.ETag),
            };
            // ImageId names no image (its '~' would be escaped in an image's key): an instance that predates products reads
            // a missing row for it and changes nothing, instead of failing on an empty name.
            if (await log.CommitAsync(action, category, cancellationToken, ("ImageId", rowKey), ("ProductId", productId), ("Change", "product")))
            {
                return true;
            }

            if (attempt == MaxWriteAttempts)
            {
                throw new InvalidOperationException($"Gave up writing the attributes of {category}/{productId} after {attempt} conflicting writes.");
            }
        }
    }

    /// <summary>Every product's attributes in a category: one range query after the log (a page per 1,000 products).</summary>
    public async Task<Dictionary<string, ProductAttributes>> ReadAllAsync(string category, CancellationToken cancellationToken)
    {
        var products = new Dictionary<string, ProductAttributes>(StringComparer.Ordinal);
        await foreach (var (productId, attributes) in ReadRowsAsync(category, cancellationToken))
        {
            products[productId] = attributes;
        }

        return products;
    }

    private async IAsyncEnumerable<(string ProductId, ProductAttributes Attributes)> ReadRowsAsync(
        string category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey ge {ProductKeyPrefix} and RowKey lt {ProductKeyUpperBound}");
        var pages = client.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).AsPages();
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (await MissingTable.OrAsync(async () => await enumerator.MoveNextAsync(), false))
        {
            foreach (var entity in enumerator.Current.Values)
            {
                yield return ProductEntityCodec.FromEntity(entity);
            }
        }
    }

    private static string ProductKey(string productId) =>
        IsValidProductId(productId)
            ? ProductKeyPrefix + TableKeyCodec.Encode(productId)
            : throw new ArgumentException($"'{productId[..Math.Min(productId.Length, 64)]}' cannot name a product (control characters, or too long once encoded).", nameof(productId));

    private async Task<StoredProduct?> ReadRowAsync(string category, string productId, CancellationToken cancellationToken)
    {
        var response = await MissingTable.OrAsync(
            () => client.GetEntityIfExistsAsync<TableEntity>(TableKeyCodec.Encode(category), ProductKey(productId), cancellationToken: cancellationToken));
        return response is not null && response.HasValue && response.Value is { } entity ? new StoredProduct(ProductEntityCodec.FromEntity(entity).Attributes, entity.ETag) : null;
    }

    private sealed record StoredProduct(ProductAttributes Attributes, ETag ETag);
}
