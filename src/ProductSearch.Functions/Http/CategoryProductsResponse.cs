using ProductSearch.Search;

namespace ProductSearch.Functions.Http;

/// <summary>A page of a category's indexed images; <c>total</c> counts them all, so the storefront knows when to stop.</summary>
public sealed record CategoryProductsResponse(string Category, int Total, int Skip, int Take, IReadOnlyList<CategoryProductItem> Products)
{
    public static CategoryProductsResponse From(CategoryProductsPage page, int take) =>
        new(
            page.Category,
            page.Total,
            page.Skip,
            take,
            page.Products.Select(p => new CategoryProductItem(p.ImageId, p.ProductId, p.ImageUrl)).ToList());
}

public sealed record CategoryProductItem(string Id, string ProductId, string ImageUrl);
