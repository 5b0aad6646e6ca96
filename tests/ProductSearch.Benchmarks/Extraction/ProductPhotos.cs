using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Features;
using ProductSearch.Imaging;

namespace ProductSearch.Benchmarks.Extraction;

/// <summary>The shared product photos (manifest.csv + JPEGs), and the real pipeline that turns them into vectors.</summary>
internal sealed record ProductPhoto(string Path, string Category, byte[] Bytes);

internal static class ProductPhotos
{
    public static List<ProductPhoto> Load(int? limit = null)
    {
        var folder = RepositoryPaths.SharedProducts;
        var manifest = Path.Combine(folder, "manifest.csv");
        if (!File.Exists(manifest))
        {
            throw new InvalidOperationException($"The shared photo set is missing: {manifest}.");
        }

        var rows = File.ReadLines(manifest).Skip(1).Select(l => l.Split(',')).Where(c => c.Length >= 2).ToList();
        // Every k-th photo, so a limited set still spans the categories.
        var step = limit is { } n && n < rows.Count ? rows.Count / n : 1;
        return rows.Where((_, i) => i % step == 0).Take(limit ?? rows.Count)
            .Select(c => new ProductPhoto(c[0], c[1], File.ReadAllBytes(Path.Combine(folder, c[0]))))
            .ToList();
    }

    public static FeatureExtractor CreateExtractor(int intraOpThreads = 0, ModelDescriptor? model = null) => FeatureExtractor.CreateStandalone(
        model ?? ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json")),
        new ModelOptions { IntraOpThreads = intraOpThreads });
}
