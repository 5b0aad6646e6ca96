using Azure;
using Azure.Storage.Blobs;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// What the storefront can browse: the category folders of the images container, and a category's products
/// (its indexed images grouped by product id) a page at a time.
/// </summary>
public sealed class CatalogListing
{
    private readonly BlobContainerClient _container;
    private readonly CategoryVectorCache _cache;
    private readonly AnswerETags _tags;

    public CatalogListing(BlobContainerClient container, CategoryVectorCache cache, AnswerETags tags)
    {
        _container = container;
        _cache = cache;
        _tags = tags;
    }

    /// <summary>
    /// The category folders, in name order. Why blob folders rather than table partitions: Table Storage has
    /// no "distinct partition" query, so finding partitions would read every vector row, while a delimited
    /// listing returns only the folder names (one request per 5,000). A folder whose images were all refused
    /// is listed too; its products are an empty page until one is indexed. Before the first upload the
    /// container may not exist yet: that is an empty catalogue, not an error.
    /// </summary>
    public async Task<CategoryList> ListCategoriesAsync(CancellationToken cancellationToken)
    {
        var categories = new List<string>();
        try
        {
            await foreach (var category in ContainerFolders.ListCategoriesAsync(_container, cancellationToken))
            {
                categories.Add(category);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            categories.Clear();
        }

        return new CategoryList(categories, _tags.ForCategories(categories));
    }

    /// <summary>
    /// A page of the category's products in product-id order (stable while images come and go, unlike the
    /// matrix's row order), each with its main image and photo count; an empty page when the category has no
    /// indexed image (yet), as a listing should. Several shots of one product are one entry, as similarity answers group them.
    /// </summary>
    /// <param name="links">What else the page's URLs depend on (see <see cref="AnswerCondition.Links"/>), for its entity tag.</param>
    public async Task<CategoryProductsPage> ListProductsAsync(string category, int skip, int take, CancellationToken cancellationToken, string links = "")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return new CategoryProductsPage(category, 0, 0, skip, [], _tags.ForListing(0, skip, take, links));
        }

        // One copy under one lock: the tag is of exactly the images and attributes the page shows.
        var snapshot = index.Snapshot();
        var etag = _tags.ForListing(snapshot.Version, skip, take, links);
        var products = snapshot.Images
            .GroupBy(i => i.ProductId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var page = products.Skip(skip).Take(take)
            .Select(g => new ListedProduct(g.Key, MainImage(g), g.Count(), snapshot.Products.GetValueOrDefault(g.Key)))
            .ToList();
        return new CategoryProductsPage(category, products.Count, snapshot.Images.Count, skip, page, etag);
    }

    /// <summary>
    /// The shot a shop means as the product's picture: one named <c>..._main</c> or <c>...-main</c> (the usual
    /// export convention), else the first by image id, so the choice is stable.
    /// </summary>
    public static IndexedImage MainImage(IEnumerable<IndexedImage> shots) =>
        shots.OrderBy(i => IsNamedMain(i.ImageId) ? 0 : 1).ThenBy(i => i.ImageId, StringComparer.Ordinal).First();

    private static bool IsNamedMain(string imageId)
    {
        var stem = Path.GetFileNameWithoutExtension(imageId.AsSpan());
        return stem.EndsWith("_main", StringComparison.OrdinalIgnoreCase) || stem.EndsWith("-main", StringComparison.OrdinalIgnoreCase)
            || stem.Equals("main", StringComparison.OrdinalIgnoreCase);
    }
}
