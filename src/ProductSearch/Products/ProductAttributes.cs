namespace ProductSearch.Products;

/// <summary>
/// What a shop says about a product beside its photos: labels to filter on, and the few display fields a product card
/// needs (a title, the product page, a price as the shop writes it, its currency). One per product within its category,
/// in Table Storage beside the vectors; every field optional. Equal when every field and every label is equal.
/// </summary>
public sealed record ProductAttributes
{
    // Before Empty: static fields initialise in order, and Empty's labels are this.
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public static readonly ProductAttributes Empty = new();

    private readonly IReadOnlyDictionary<string, string> _labels = NoLabels;

    /// <summary>Key = value pairs, matched exactly; kept in ordinal key order so every copy reads and hashes the same.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get => _labels;
        init => _labels = value is null || value.Count == 0 ? NoLabels : new SortedDictionary<string, string>(value.ToDictionary(), StringComparer.Ordinal);
    }

    public string? Title { get; init; }

    /// <summary>The product page, absolute http or https.</summary>
    public string? Url { get; init; }

    /// <summary>Text, shown as given ("29.00"), so no rounding or culture ever changes what the shop wrote.</summary>
    public string? Price { get; init; }

    /// <summary>ISO 4217 code of <see cref="Price"/>.</summary>
    public string? Currency { get; init; }

    /// <summary>No label and no field: the same as no attributes at all (the product's row is deleted).</summary>
    public bool IsEmpty => Labels.Count == 0 && Title is null && Url is null && Price is null && Currency is null;

    public bool Equals(ProductAttributes? other) =>
        other is not null
        && Title == other.Title && Url == other.Url && Price == other.Price && Currency == other.Currency
        && Labels.Count == other.Labels.Count
        && Labels.All(l => other.Labels.TryGetValue(l.Key, out var value) && value == l.Value);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Title);
        hash.Add(Url);
        hash.Add(Price);
        hash.Add(Currency);
        foreach (var (key, value) in Labels)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <summary>
    /// These attributes with <paramref name="incoming"/>'s laid over them: a field it sets replaces ours, one it leaves
    /// unset is kept, and each of its labels replaces ours of the same key (other labels are kept).
    /// </summary>
    public ProductAttributes Overlay(ProductAttributes incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal);
        foreach (var (key, value) in incoming.Labels)
        {
            labels[key] = value;
        }

        return new ProductAttributes
        {
            Labels = labels,
            Title = incoming.Title ?? Title,
            Url = incoming.Url ?? Url,
            Price = incoming.Price ?? Price,
            Currency = incoming.Currency ?? Currency,
        };
    }
}
