using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// What the storefront can browse: the category folders of the images container, and a category's indexed
/// images a page at a time.
/// </summary>
public sealed class CatalogListing
{
    private readonly BlobContainerClient _container;
    private readonly CategoryVectorCache _cache;

    public CatalogListing(BlobContainerClient container, CategoryVectorCache cache)
    {
        _container = container;
        _cache = cache;
    }

    /// <summary>
    /// The category folders, in name order. Why blob folders rather than table partitions: Table Storage has
    /// no "distinct partition" query, so finding partitions would read every vector row, while a delimited
    /// listing returns only the folder names (one request per 5,000). A folder whose images were all refused
    /// is listed too; its products answer 404 until one is indexed.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListCategoriesAsync(CancellationToken cancellationToken)
    {
        var categories = new List<string>();
        var options = new GetBlobsByHierarchyOptions { Delimiter = "/" };
        await foreach (var item in _container.GetBlobsByHierarchyAsync(options, cancellationToken))
        {
            // Blobs at the container's root are never indexed (the trigger path is <category>/<name>).
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var category && CatalogNames.IsValidCategory(category))
            {
                categories.Add(category);
            }
        }

        return categories;
    }

    /// <summary>
    /// A page of the category's indexed images in image-id order (stable while images come and go, unlike the
    /// matrix's row order); null when the category has no indexed image.
    /// </summary>
    public async Task<CategoryProductsPage?> ListProductsAsync(string category, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return null;
        }

        var images = index.SnapshotImages();
        var page = images.OrderBy(i => i.ImageId, StringComparer.Ordinal).Skip(skip).Take(take).ToList();
        return new CategoryProductsPage(category, images.Count, skip, page);
    }
}
