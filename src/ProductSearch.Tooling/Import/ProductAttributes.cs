namespace ProductSearch.Tooling.Import;

/// <summary>A product's display fields and labels as a catalogue CSV row gives them; null for a field left empty.</summary>
public sealed record ProductAttributes(
    string? Title, string? Url, string? Price, string? Currency, IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    public static readonly ProductAttributes None = new(null, null, null, null, []);

    public bool Equals(ProductAttributes? other) =>
        other is not null && Title == other.Title && Url == other.Url && Price == other.Price && Currency == other.Currency
        && Labels.SequenceEqual(other.Labels);

    public override int GetHashCode() => HashCode.Combine(Title, Url, Price, Currency, Labels.Count);
}
