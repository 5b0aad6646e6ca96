using ProductSearch.Features;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>Feature vectors of photo files, through the same loader and extractor the indexer uses (no storage).</summary>
public static class PhotoVectors
{
    /// <summary>The photos of a folder (recursively), or of a manifest's <c>path</c> column.</summary>
    public static IReadOnlyList<string> List(string folderOrManifest)
    {
        if (File.Exists(folderOrManifest))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(folderOrManifest))!;
            return [.. ProductManifest.Read(folderOrManifest).Select(e => Path.Combine(folder, e.Path))];
        }

        string[] extensions = [".jpg", ".jpeg", ".png", ".webp"];
        return [.. Directory.EnumerateFiles(folderOrManifest, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The vectors of <paramref name="photos"/> under <paramref name="descriptor"/>, with the library's own standalone extractor.</summary>
    public static async Task<float[][]> ExtractAsync(
        ModelDescriptor descriptor, IReadOnlyList<string> photos, int parallelism, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var extractor = FeatureExtractor.CreateStandalone(descriptor);
        var vectors = new float[photos.Count][];
        var done = 0;
        await Parallel.ForAsync(
            0,
            photos.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                await using var file = File.OpenRead(photos[i]);
                vectors[i] = await extractor.ExtractAsync(file, ct);
                progress?.Report(Interlocked.Increment(ref done));
            });
        return vectors;
    }
}
