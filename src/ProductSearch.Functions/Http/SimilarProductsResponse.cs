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
            products.Results.Select(r => new SimilarProductItem(r.Id, r.ProductId, r.Distance, r.Similarity, r.NearDuplicate, r.ImageUrl)).ToList());
}

/// <summary>One result: distance (Euclidean, 0 to 2), similarity (1 - d^2/4, in [0, 1]) and whether it is the same photo again.</summary>
public sealed record SimilarProductItem(string Id, string ProductId, float Distance, float Similarity, bool NearDuplicate, string ImageUrl);
