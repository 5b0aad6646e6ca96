using System.Text;

namespace ProductSearch.Tooling.Import;

/// <summary>
/// A product's id and attributes as blob metadata, in the shared contract's names: <c>productid</c> raw, every
/// attribute value percent-encoded UTF-8 (RFC 3986, since metadata values must be ASCII), <c>labels</c> as
/// <c>key=value&amp;key=value</c> with each key and value encoded.
/// </summary>
public static class ProductMetadata
{
    public const string ProductId = "productid";
    public const string Title = "title";
    public const string Url = "url";
    public const string Price = "price";
    public const string Currency = "currency";
    public const string Labels = "labels";

    /// <summary>Storage's limit on all of a blob's metadata names and values together.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>The metadata names the import owns; any other name on a blob is left as it is.</summary>
    public static readonly IReadOnlySet<string> Names =
        new HashSet<string>([ProductId, Title, Url, Price, Currency, Labels], StringComparer.OrdinalIgnoreCase);

    public static Dictionary<string, string> Encode(string productId, ProductAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [ProductId] = productId };
        Add(metadata, Title, attributes.Title);
        Add(metadata, Url, attributes.Url);
        Add(metadata, Price, attributes.Price);
        Add(metadata, Currency, attributes.Currency);
        if (attributes.Labels.Count > 0)
        {
            metadata[Labels] = string.Join('&', attributes.Labels.Select(l => $"{Uri.EscapeDataString(l.Key)}={Uri.EscapeDataString(l.Value)}"));
        }

        return metadata;
    }

    /// <summary>The attributes back from blob metadata (the inverse of <see cref="Encode"/>).</summary>
    public static ProductAttributes Decode(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string? Value(string name) => metadata.FirstOrDefault(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { } value
            ? Uri.UnescapeDataString(value)
            : null;

        var labels = metadata.FirstOrDefault(m => string.Equals(m.Key, Labels, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } encoded
            ? encoded.Split('&').Select(pair => pair.Split('=', 2)).Select(kv => KeyValuePair.Create(Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "")).ToList()
            : [];
        return new ProductAttributes(Value(Title), Value(Url), Value(Price), Value(Currency), labels);
    }

    /// <summary>The size storage counts against <see cref="MaxBytes"/>: every name and value.</summary>
    public static int SizeOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Sum(m => Encoding.ASCII.GetByteCount(m.Key) + Encoding.ASCII.GetByteCount(m.Value));

    /// <summary>The metadata names the import owns, with their values, for comparing a blob with what the CSV says.</summary>
    public static Dictionary<string, string> Owned(IDictionary<string, string> metadata) =>
        metadata.Where(m => Names.Contains(m.Key)).ToDictionary(m => m.Key.ToLowerInvariant(), m => m.Value, StringComparer.Ordinal);

    private static void Add(Dictionary<string, string> metadata, string name, string? value)
    {
        if (value is not null)
        {
            metadata[name] = Uri.EscapeDataString(value);
        }
    }
}
