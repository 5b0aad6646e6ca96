using System.Text;
using ProductSearch.Products;

namespace ProductSearch.Tooling.Import;

/// <summary>
/// The blob metadata the import owns: a row's <c>productid</c> (raw) and its attributes as the serving library writes
/// them (<see cref="ProductMetadata.Write"/>, the encoding the indexer reads). Any other name on a blob is the shop's,
/// and is left as it is.
/// </summary>
internal static class OwnedMetadata
{
    /// <summary>Storage's limit on all of a blob's metadata names and values together.</summary>
    public const int MaxBytes = 8 * 1024;

    private static readonly HashSet<string> Names = new(
        [ProductMetadata.ProductId, ProductMetadata.Title, ProductMetadata.Url, ProductMetadata.Price, ProductMetadata.Currency, ProductMetadata.Labels],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The metadata a row asks for.</summary>
    public static Dictionary<string, string> Of(string productId, ProductAttributes attributes)
    {
        var metadata = ProductMetadata.Write(attributes);
        metadata[ProductMetadata.ProductId] = productId;
        return metadata;
    }

    /// <summary>The size storage counts against <see cref="MaxBytes"/>: every name and value.</summary>
    public static int SizeOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Sum(m => Encoding.ASCII.GetByteCount(m.Key) + Encoding.ASCII.GetByteCount(m.Value));

    /// <summary>Whether the blob's owned names hold exactly <paramref name="wanted"/> (names compared as storage does, in any case).</summary>
    public static bool Holds(IDictionary<string, string> metadata, Dictionary<string, string> wanted)
    {
        var owned = metadata.Where(m => Names.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
        return owned.Count == wanted.Count && wanted.All(w => owned.TryGetValue(w.Key, out var value) && value == w.Value);
    }

    /// <summary>The blob's metadata with the owned names replaced by <paramref name="wanted"/>: names the import does not own stay.</summary>
    public static Dictionary<string, string> Merged(IDictionary<string, string> metadata, Dictionary<string, string> wanted)
    {
        var merged = metadata.Where(m => !Names.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in wanted)
        {
            merged[name] = value;
        }

        return merged;
    }
}
