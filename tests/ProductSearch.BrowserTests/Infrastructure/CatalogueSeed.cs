using Azure.Storage.Blobs.Models;
using ProductSearch.Functions;
using ProductSearch.Products;

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
                Metadata = Metadata(photo),
            }, cancellationToken);
            await indexer.RunAsync(blob, category, cancellationToken);
        });
    }

    // As a shop's upload carries them: the product id and, when the shop has them, the product's attributes.
    private static Dictionary<string, string>? Metadata(Photo photo)
    {
        var metadata = photo.Attributes is null ? [] : ProductMetadata.Write(photo.Attributes);
        if (photo.ProductId is not null)
        {
            metadata["productid"] = photo.ProductId;
        }

        return metadata.Count == 0 ? null : metadata;
    }

    public sealed record Photo(string Name, string? ProductId, byte[] Jpeg, ProductAttributes? Attributes = null);
}
