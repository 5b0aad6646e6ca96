using nietras.SeparatedValues;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>One photo of a labelled set: its file, category and ground truth (product, and style where known).</summary>
public sealed record ManifestEntry(string Path, string Category, string ProductId, string? StyleId)
{
    /// <summary>
    /// The subset a photo belongs to, named by the data: its first folder (e.g. one shop's photos), or the category for
    /// a photo at the manifest's own level. Category precision is reported per subset.
    /// </summary>
    public string Subset => Path.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash && Path.IndexOf('/', slash + 1) > 0
        ? Path[..slash]
        : Category;

    /// <summary>The image id it is indexed under: its file name inside the category folder.</summary>
    public string ImageId => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>
/// Reads a manifest like <c>shared/datasets/products/manifest.csv</c>: path, category, product_id[, ..., style_id], with
/// RFC 4180 quoting (Sep, as the catalogue import reads its CSV), so a field may hold commas and quotes.
/// </summary>
public static class ProductManifest
{
    public static IReadOnlyList<ManifestEntry> Read(string manifestPath)
    {
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(manifestPath);
        if (!reader.HasHeader || reader.Header.ColNames is [] or [""])
        {
            throw new InvalidDataException($"Manifest '{manifestPath}' is empty.");
        }

        int Column(string name, bool required = true) =>
            reader.Header.TryIndexOf(name, out var index) ? index
            : required ? throw new InvalidDataException($"Manifest '{manifestPath}' has no '{name}' column.")
            : -1;

        var (path, category, product, style) = (Column("path"), Column("category"), Column("product_id"), Column("style_id", required: false));
        var needed = Math.Max(path, Math.Max(category, product)) + 1;
        var entries = new List<ManifestEntry>();
        foreach (var row in reader)
        {
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue; // a blank line
            }

            if (row.ColCount < needed)
            {
                throw new InvalidDataException($"Manifest '{manifestPath}' line {row.LineNumberFrom} has {row.ColCount} fields: path, category and product_id need {needed}.");
            }

            var styleId = style >= 0 && style < row.ColCount && row[style].Span.Length > 0 ? row[style].ToString() : null;
            entries.Add(new ManifestEntry(row[path].ToString(), row[category].ToString(), row[product].ToString(), styleId));
        }

        return entries;
    }
}
