using Microsoft.Extensions.Logging;
using ProductSearch.Products;
using ProductSearch.Storage;

namespace ProductSearch.Indexing;

/// <summary>What became of a request to set a product's attributes.</summary>
/// <param name="Problems">Every rule the attributes break (nothing was written), empty when they keep them all.</param>
/// <param name="Written">The stored attributes changed (a log row tells every cache); false when they were already so.</param>
public sealed record AttributeChange(IReadOnlyList<string> Problems, bool Written)
{
    public bool Refused => Problems.Count > 0;
}

/// <summary>
/// Sets, merges and clears products' attributes, under the rules (<see cref="ProductAttributeRules"/>): the admin endpoint
/// and the CLI replace or clear them; the indexer lays a photo's metadata over them. Each change is one product row and
/// its change-log row; nothing here runs the model.
/// </summary>
public sealed class ProductAttributeWriter
{
    private readonly ProductVectorTable _table;
    private readonly ILogger<ProductAttributeWriter> _logger;

    public ProductAttributeWriter(ProductVectorTable table, ILogger<ProductAttributeWriter> logger)
    {
        _table = table;
        _logger = logger;
    }

    /// <summary>Whether <paramref name="productId"/> can name a product (see <see cref="ProductRows.IsValidProductId"/>).</summary>
    public static bool IsValidProductId(string productId) => ProductRows.IsValidProductId(productId);

    public Task<ProductAttributes?> GetAsync(string category, string productId, CancellationToken cancellationToken) =>
        _table.Products.GetAsync(category, productId, cancellationToken);

    /// <summary>Replaces the product's attributes with <paramref name="attributes"/>, or refuses them whole when they break a rule.</summary>
    public async Task<AttributeChange> SetAsync(string category, string productId, ProductAttributes attributes, CancellationToken cancellationToken)
    {
        var problems = ProductAttributeRules.Problems(attributes);
        if (problems.Count > 0)
        {
            return new AttributeChange(problems, false);
        }

        var written = await _table.Products.ChangeAsync(category, productId, _ => attributes, cancellationToken);
        _logger.LogInformation("Set the attributes of {Category}/{ProductId}: {Outcome}", category, productId, written ? "changed" : "unchanged");
        return new AttributeChange([], written);
    }

    /// <summary>Removes the product's attributes; false when it had none.</summary>
    public async Task<bool> ClearAsync(string category, string productId, CancellationToken cancellationToken)
    {
        var cleared = await _table.Products.ChangeAsync(category, productId, _ => null, cancellationToken);
        _logger.LogInformation("Cleared the attributes of {Category}/{ProductId}: {Outcome}", category, productId, cleared ? "cleared" : "had none");
        return cleared;
    }

    /// <summary>
    /// Lays what a photo's metadata accepted over the stored attributes (fields it sets replace, others are kept; each label
    /// replaces its key). When the merged whole would break a rule (more than 32 labels, a currency without a price), none of
    /// it is taken. Returns why anything was refused, empty when nothing was; writes only when something differs.
    /// </summary>
    internal async Task<IReadOnlyList<string>> MergeAsync(
        string category, string productId, ProductMetadataReading reading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var refused = reading.Refused.ToList();
        if (reading.Accepted.IsEmpty)
        {
            return refused;
        }

        IReadOnlyList<string> mergedProblems = [];
        await _table.Products.ChangeAsync(category, productId, stored =>
        {
            var merged = (stored ?? ProductAttributes.Empty).Overlay(reading.Accepted);
            mergedProblems = ProductAttributeRules.Problems(merged);
            return mergedProblems.Count == 0 ? merged : stored;
        }, cancellationToken);
        refused.AddRange(mergedProblems);
        return refused;
    }
}
