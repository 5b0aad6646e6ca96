using ProductSearch.Search;

namespace ProductSearch.Functions.Http;

/// <summary>The JSON the storefront reads: nearest first.</summary>
public sealed record SimilarProductsResponse(string Category, string Model, int Searched, IReadOnlyList<SimilarProductItem> Results)
{
    public static SimilarProductsResponse From(SimilarProducts products) =>
        new(
            products.Category,
            products.ModelId,
            products.Searched,
            products.Results.Select(r => new SimilarProductItem(r.Id, r.ProductId, r.Distance, r.ImageUrl)).ToList());
}

public sealed record SimilarProductItem(string Id, string ProductId, float Distance, string ImageUrl);
