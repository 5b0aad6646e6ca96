using System.Text;

namespace ProductSearch.Products;

/// <summary>
/// What a photo's blob metadata says about its product, accepted part by part: each label and each field that keeps
/// the rules is taken, each that breaks one is refused with its reason, so one bad label never costs the photo or the
/// other attributes.
/// </summary>
/// <param name="Accepted">The labels and fields that keep the rules (fields the metadata does not set are null).</param>
/// <param name="Refused">Why each refused label or field was refused, one sentence each.</param>
internal sealed record ProductMetadataReading(ProductAttributes Accepted, IReadOnlyList<string> Refused)
{
    /// <summary>The metadata set at least one attribute, valid or not.</summary>
    public bool SaysAnything => !Accepted.IsEmpty || Refused.Count > 0;
}

/// <summary>
/// Blob metadata names and encoding for product attributes (docs/products.md). Metadata values must be ASCII, so each
/// value is percent-encoded UTF-8 (RFC 3986, as <c>Uri.EscapeDataString</c> writes it, '+' never a space), and
/// <c>labels</c> is <c>key=value&amp;key=value</c> with each key and value so encoded.
/// </summary>
public static class ProductMetadata
{
    /// <summary>The product id, stored raw (not percent-encoded): it names the product, and is no attribute of it.</summary>
    public const string ProductId = "productid";
    public const string Title = "title";
    public const string Url = "url";
    public const string Price = "price";
    public const string Currency = "currency";
    public const string Labels = "labels";

    /// <summary>Reads the attributes from a blob's metadata (names compared case-insensitively, as storage does).</summary>
    internal static ProductMetadataReading Read(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var refused = new List<string>();
        string? Field(string name, Func<string, ProductAttributes> alone)
        {
            if (Find(metadata, name) is not { } raw)
            {
                return null;
            }

            var value = Uri.UnescapeDataString(raw);
            var problems = ProductAttributeRules.Problems(alone(value));
            refused.AddRange(problems);
            return problems.Count == 0 ? value : null;
        }

        var price = Field(Price, v => new ProductAttributes { Price = v });
        // The currency's own format is checked here; whether a price goes with it, once merged with what is stored.
        var currency = Field(Currency, v => new ProductAttributes { Price = "0", Currency = v });
        var accepted = new ProductAttributes
        {
            Title = Field(Title, v => new ProductAttributes { Title = v }),
            Url = Field(Url, v => new ProductAttributes { Url = v }),
            Price = price,
            Currency = currency,
            Labels = Find(metadata, Labels) is { } labels ? ReadLabels(labels, refused) : new Dictionary<string, string>(),
        };
        return new ProductMetadataReading(accepted, refused);
    }

    /// <summary>The blob metadata that carries <paramref name="attributes"/> (what an upload sets beside <c>productid</c>).</summary>
    public static Dictionary<string, string> Write(ProductAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                metadata[name] = Uri.EscapeDataString(value);
            }
        }

        Add(Title, attributes.Title);
        Add(Url, attributes.Url);
        Add(Price, attributes.Price);
        Add(Currency, attributes.Currency);
        if (attributes.Labels.Count > 0)
        {
            metadata[Labels] = string.Join('&', attributes.Labels.Select(l => $"{Uri.EscapeDataString(l.Key)}={Uri.EscapeDataString(l.Value)}"));
        }

        return metadata;
    }

    private static Dictionary<string, string> ReadLabels(string raw, List<string> refused)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                refused.Add($"labels: '{Shown(pair)}' is no key=value pair.");
                continue;
            }

            var key = Uri.UnescapeDataString(pair[..equals]);
            var value = Uri.UnescapeDataString(pair[(equals + 1)..]);
            var problem = ProductAttributeRules.KeyProblem(key) ?? ProductAttributeRules.ValueProblem(key, value)
                ?? (labels.ContainsKey(key) ? $"label '{key}' is given twice; the first is kept." : null);
            if (problem is not null)
            {
                refused.Add(problem);
                continue;
            }

            labels[key] = value;
        }

        return labels;
    }

    private static string? Find(IDictionary<string, string> metadata, string name)
    {
        foreach (var (key, value) in metadata)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static string Shown(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > 60 ? value[..60] : value)
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return text.ToString();
    }
}
