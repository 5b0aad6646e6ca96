using System.Collections.Concurrent;
using ProductSearch.Search.Filtering;
using ProductSearch.Search.Vectors;

namespace ProductSearch.Search;

/// <summary>
/// A filter's rows in one category: evaluated once per product (not per image), mapped to rows through their product
/// ordinals, with the filter's keys no product has. Kept per filter text while the category's version stays, since a
/// storefront asks the same few filters ("instock = true") again and again; any change of rows or attributes changes
/// the version, and the first query after it starts afresh.
/// </summary>
internal sealed class FilterMasks
{
    // Distinct filters kept per version: enough for a storefront's choosers, bounded against a caller sending many.
    private const int MaxKept = 64;

    private readonly ConcurrentDictionary<string, FilterMatch> _kept = new(StringComparer.Ordinal);
    private ulong _version;

    /// <summary>Called under the category's read lock, so the rows cannot change meanwhile (readers may race each other).</summary>
    public FilterMatch Of(CategoryRows rows, ProductFilter filter)
    {
        if (Interlocked.Exchange(ref _version, rows.Version) != rows.Version)
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
