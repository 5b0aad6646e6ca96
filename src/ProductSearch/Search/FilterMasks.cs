using System.Collections.Concurrent;
using ProductSearch.Search.Filtering;
using ProductSearch.Vectors;

namespace ProductSearch.Search;

/// <summary>
/// A filter's rows in one category: evaluated once per product (not per image), mapped to rows through their product
/// ordinals, with the filter's keys no product has. Kept per filter text while the category's version stays, since a
/// storefront asks the same few filters ("instock = true") again and again. Kept per generation of the rows (every
/// write counts), not per content version: the same content can come back in another row order, which a mask of row
/// numbers must not outlive.
/// </summary>
internal sealed class FilterMasks
{
    // Distinct filters kept per version: enough for a storefront's choosers, bounded against a caller sending many.
    private const int MaxKept = 64;

    private readonly ConcurrentDictionary<string, FilterMatch> _kept = new(StringComparer.Ordinal);
    private long _generation = -1;

    /// <summary>
    /// Called under the category's read lock with its count of writes so far, so the rows cannot change meanwhile
    /// (readers may race each other, all at the same generation).
    /// </summary>
    public FilterMatch Of(CategoryRows rows, ProductFilter filter, long generation)
    {
        if (Interlocked.Exchange(ref _generation, generation) != generation)
        {
            _kept.Clear();
        }

        var text = filter.ToString();
        if (_kept.TryGetValue(text, out var kept))
        {
            return kept;
        }

        var match = Evaluate(rows, filter);
        if (_kept.Count < MaxKept)
        {
            _kept.TryAdd(text, match);
        }

        return match;
    }

    private static FilterMatch Evaluate(CategoryRows rows, ProductFilter filter)
    {
        var products = rows.ProductAttributesByOrdinal;
        var matches = new bool[products.Count];
        var keys = filter.Keys;
        var seen = new bool[keys.Count];
        for (var product = 0; product < products.Count; product++)
        {
            if (products[product]?.Labels is not { Count: > 0 } labels)
            {
                continue; // a product without labels matches no clause
            }

            matches[product] = filter.Matches(labels);
            for (var k = 0; k < keys.Count; k++)
            {
                seen[k] |= labels.ContainsKey(keys[k]);
            }
        }

        var unknown = keys.Where((_, k) => !seen[k]).ToList();
        return new FilterMatch(RowMask.FromProducts(rows.ProductOrdinals, matches), unknown);
    }
}

/// <summary>The rows a filter allows, and its keys that no product of the category has (then it matches nothing).</summary>
internal sealed record FilterMatch(RowMask Rows, IReadOnlyList<string> UnknownKeys);
