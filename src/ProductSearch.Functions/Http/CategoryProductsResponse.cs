using ProductSearch.Search;

namespace ProductSearch.Functions.Http;

/// <summary>
/// A page of a category's products; <c>total</c> counts them all (so the storefront knows when to stop) and
/// <c>images</c> every indexed photo.
/// </summary>
public sealed record CategoryProductsResponse(string Category, int Total, int Images, int Skip, int Take, IReadOnlyList<CategoryProductItem> Products)
{
    internal static CategoryProductsResponse From(CategoryProductsPage page, int take, ThumbnailLinks thumbnails) =>
        new(
            page.Category,
            page.Total,
            page.Images,
            page.Skip,
            take,
            page.Products.Select(p => new CategoryProductItem(
                p.Main.ImageId, p.ProductId, p.Main.ImageUrl, p.Photos, thumbnails.Of(p.Main.Thumbnail), ProductCard.From(p.Attributes))).ToList());
}

/// <summary>
/// A product: <c>id</c>, <c>imageUrl</c> and <c>thumbnailUrl</c> (null while it has none) are its main image's (a similarity
/// query by id starts from it); <c>product</c> is its card, null when the product has no attributes.
/// </summary>
public sealed record CategoryProductItem(string Id, string ProductId, string ImageUrl, int Photos, string? ThumbnailUrl, ProductCard? Product);
