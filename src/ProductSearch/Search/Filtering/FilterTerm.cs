namespace ProductSearch.Search.Filtering;

/// <summary>One term of a filter: its key equals one of the values (the clauses joined by OR). A product without the key does not match.</summary>
internal sealed class FilterTerm
{
    private readonly string[] _values;

    internal FilterTerm(string key, IEnumerable<string> values)
    {
        Key = key;

        // Sorted and without repeats: the order OR-ed values are written in does not change the filter.
        _values = [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public string Key { get; }

    /// <summary>The values any one of which matches, in ordinal order.</summary>
    public IReadOnlyList<string> Values => _values;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(Key, out var value) && Array.IndexOf(_values, value) >= 0;
    }

    /// <summary>The canonical text: <c>key = value OR key = value</c>, values quoted where they must be.</summary>
    public override string ToString() => string.Join(" OR ", _values.Select(value => $"{Key} = {FilterValue.Format(value)}"));
}
