using ProductSearch.Search;

namespace ProductSearch.Functions.Http;

/// <summary>
/// The JSON the storefront reads: nearest first, and the colour weight the distances were measured with (0 when the
/// model has no colour or the category is part-way through its colour backfill, whatever was asked), and warnings about how
/// it was answered (a filter key no product has), empty when there are none.
/// </summary>
public sealed record SimilarProductsResponse(
    string Category, string Model, int Searched, float Colour, IReadOnlyList<SimilarProductItem> Results, IReadOnlyList<string> Warnings)
{
    internal static SimilarProductsResponse From(SimilarProducts products, ThumbnailLinks thumbnails) =>
        new(
            products.Category,
            products.ModelId,
            products.Searched,
            products.ColourWeight,
            products.Results.Select(r => new SimilarProductItem(
                r.Id, r.ProductId, r.Distance, r.Similarity, r.NearDuplicate, r.ImageUrl, r.MainImageId, thumbnails.Of(r.Thumbnail), ProductCard.From(r.Product))).ToList(),
            products.Warnings);
}

/// <summary>
/// One result: distance (Euclidean between unit-length weighted concatenations, 0 to 2), similarity (1 - d^2/4, in
/// [0, 1]) and whether it is the same photo again (judged on the CNN vectors alone). A tile shows <c>mainImageId</c> (the
/// product's main image when grouped by product, else the image itself) by its <c>thumbnailUrl</c>, null while it has none,
/// and its card from <c>product</c>, null when the product has no attributes.
/// </summary>
public sealed record SimilarProductItem(
    string Id, string ProductId, float Distance, float Similarity, bool NearDuplicate, string ImageUrl, string MainImageId, string? ThumbnailUrl, ProductCard? Product);
