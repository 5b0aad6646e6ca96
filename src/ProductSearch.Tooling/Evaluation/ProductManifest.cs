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

/// <summary>Reads a manifest like <c>shared/datasets/products/manifest.csv</c>: path, category, product_id[, ..., style_id].</summary>
public static class ProductManifest
{
    public static IReadOnlyList<ManifestEntry> Read(string manifestPath)
    {
        var lines = File.ReadAllLines(manifestPath);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"Manifest '{manifestPath}' is empty.");
        }

        var header = lines[0].Split(',');
        int Column(string name, bool required = true)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 || !required ? index : throw new InvalidDataException($"Manifest '{manifestPath}' has no '{name}' column.");
        }

        var (path, category, product, style) = (Column("path"), Column("category"), Column("product_id"), Column("style_id", required: false));
        var entries = new List<ManifestEntry>(lines.Length - 1);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            // The manifests we read hold no quoted fields; refuse one rather than mis-split it.
            if (line.Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Manifest '{manifestPath}' has a quoted field, which is not supported: {line}");
            }

            var cells = line.Split(',');
            var styleId = style >= 0 && style < cells.Length && cells[style].Length > 0 ? cells[style] : null;
            entries.Add(new ManifestEntry(cells[path], cells[category], cells[product], styleId));
        }

        return entries;
    }
}
