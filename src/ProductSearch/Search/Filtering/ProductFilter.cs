namespace ProductSearch.Search.Filtering;

/// <summary>
/// A filter on product labels, in Google Cloud Vision Product Search's syntax: <c>key = value</c> clauses, OR between
/// clauses of one key, AND between terms (OR binds first): <c>color = red OR color = blue AND instock = true</c>. A value
/// with characters other than letters, digits and <c>_ - . : + /</c> is double-quoted, with <c>\"</c> and <c>\\</c>
/// escapes. Keys are matched exactly as label keys are written (lowercase), values exactly (case-sensitive); AND and
/// OR in any case. A key may appear in two AND terms: both must hold.
/// </summary>
public sealed class ProductFilter
{
    /// <summary>The longest filter text accepted.</summary>
    public const int MaxLength = 1000;

    /// <summary>The most <c>key = value</c> clauses one filter may have.</summary>
    public const int MaxClauses = 64;

    private readonly FilterTerm[] _terms;

    private ProductFilter(IEnumerable<FilterTerm> terms)
    {
        // Canonical: terms sorted and without repeats, so filters that mean the same share a text (a cache key).
        _terms = [.. terms.DistinctBy(term => term.ToString()).OrderBy(term => term.Key, StringComparer.Ordinal).ThenBy(term => term.ToString(), StringComparer.Ordinal)];
        Keys = [.. _terms.Select(term => term.Key).Distinct()];
    }

    /// <summary>The terms, every one of which must hold.</summary>
    internal IReadOnlyList<FilterTerm> Terms => _terms;

    /// <summary>The keys the filter reads, each once, in ordinal order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Reads a filter; throws <see cref="FilterSyntaxException"/> naming the position of the first error.</summary>
    public static ProductFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ProductFilter(FilterParser.Parse(text));
    }

    /// <summary>Whether a product with these labels matches: every term holds. A product without a key matches no clause on it.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var term in _terms)
        {
            if (!term.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The keys of the filter that are not among <paramref name="knownKeys"/> (those any product of the category has):
    /// such a key matches nothing, so the filter matches nothing, and the answer says which.
    /// </summary>
    public IReadOnlyList<string> UnknownKeys(IReadOnlySet<string> knownKeys)
    {
        ArgumentNullException.ThrowIfNull(knownKeys);
        return [.. Keys.Where(key => !knownKeys.Contains(key))];
    }

    /// <summary>The canonical text: the same for filters that differ only in spacing, keyword case, quoting or order.</summary>
    public override string ToString() => string.Join(" AND ", _terms.Select(term => term.ToString()));
}
