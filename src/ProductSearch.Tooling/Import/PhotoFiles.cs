namespace ProductSearch.Tooling.Import;

/// <summary>The files an import takes for photos: the formats the indexer decodes, by extension.</summary>
public static class PhotoFiles
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
    };

    public static bool IsPhoto(string fileName) => ContentTypes.ContainsKey(Path.GetExtension(fileName));

    public static string ContentType(string fileName) => ContentTypes[Path.GetExtension(fileName)];
}
