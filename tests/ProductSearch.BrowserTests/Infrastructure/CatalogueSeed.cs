using Azure.Storage.Blobs.Models;
using ProductSearch.Functions;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>Uploads photos as a shop does and indexes each through the blob-trigger function class.</summary>
public static class CatalogueSeed
{
    /// <summary>Generated products <c>product-0..7</c>, shots <c>p{product}/shot-{shot}.jpg</c>.</summary>
    public static Task IndexGeneratedAsync(FunctionAppHarness functions, string category, int shotsPerProduct) =>
        IndexAsync(functions, category, Enumerable.Range(0, ProductPhotoGenerator.ProductCount)
            .SelectMany(p => Enumerable.Range(0, shotsPerProduct).Select(s => new Photo($"p{p}/shot-{s}.jpg", $"product-{p}", ProductPhotoGenerator.Jpeg(p, s)))));

    /// <summary>
    /// Real shop photos from a category of the shared data set, read in place, with their product ids from its
    /// manifest; false when the data set is not beside the repository.
    /// </summary>
    public static async Task<bool> TryIndexSharedAsync(FunctionAppHarness functions, string subset, string category)
    {
        var folder = Path.Combine(TestPaths.SharedProducts, subset, category);
        var manifest = Path.Combine(TestPaths.SharedProducts, "manifest.csv");
        if (!Directory.Exists(folder) || !File.Exists(manifest))
        {
            return false;
        }

        // path,category,product_id,... (no field holds a comma)
        var productIds = File.ReadLines(manifest).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => f[2], StringComparer.Ordinal);
        var photos = Directory.EnumerateFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Select(path =>
        {
            var name = Path.GetFileName(path);
            return new Photo(name, productIds.GetValueOrDefault($"{subset}/{category}/{name}"), File.ReadAllBytes(path));
        });
        await IndexAsync(functions, category, photos);
        return true;
    }

    public static async Task IndexAsync(FunctionAppHarness functions, string category, IEnumerable<Photo> photos)
    {
        var indexer = functions.Function<IndexProductImage>();
        await Parallel.ForEachAsync(photos, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (photo, cancellationToken) =>
        {
            var blob = functions.Container.GetBlobClient($"{category}/{photo.Name}");
            await blob.UploadAsync(new BinaryData(photo.Jpeg), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                Metadata = photo.ProductId is null ? null : new Dictionary<string, string> { ["productid"] = photo.ProductId },
            }, cancellationToken);
            await indexer.RunAsync(blob, category, cancellationToken);
        });
    }

    public sealed record Photo(string Name, string? ProductId, byte[] Jpeg);
}
