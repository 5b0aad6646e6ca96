using ProductSearch.Products;

namespace ProductSearch.Search;

/// <summary>
/// The answer to "what looks like this?": nearest first, with the colour weight the distances were measured with, and
/// what a caller should know about how it was answered (a filter key no product has).
/// </summary>
public sealed record SimilarProducts(string Category, string ModelId, int Searched, IReadOnlyList<SimilarProduct> Results, float ColourWeight = 0)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// One recommended image. <paramref name="Distance"/> is Euclidean between unit vectors (0 to 2): the CNN vectors at colour
/// weight 0, else the unit-length weighted concatenations of CNN vector and colour; <paramref name="NearDuplicate"/> says it
/// is the same photo again (re-encoded, resized), not merely alike, judged on the CNN vectors alone at any weight.
/// <paramref name="MainImageId"/> is the image its tile shows (its product's main image when grouped by product, else itself)
/// and <paramref name="Thumbnail"/> that image's thumbnail name, null while it has none. <paramref name="Product"/> is the
/// product's attributes, null when it has none.
/// </summary>
public sealed record SimilarProduct(
    string Id, string ProductId, float Distance, string ImageUrl, bool NearDuplicate, string MainImageId, string? Thumbnail, ProductAttributes? Product = null)
{
    public float Similarity => SimilarityQuery.SimilarityOf(Distance);
}

/// <summary>Why a query has no answer.</summary>
public enum SearchFailure
{
    None,
    UnknownCategory,
    UnknownImage,
}

/// <param name="ETag">The answer's entity tag when it can be cached (by-id answers); null for photo answers and failures.</param>
public sealed record SimilarProductsResult(SimilarProducts? Products, SearchFailure Failure, string? ETag = null)
{
    /// <summary>The caller holds this answer already (its tag matched): nothing was searched.</summary>
    public bool NotModified => Products is null && Failure == SearchFailure.None;

    public static SimilarProductsResult Found(SimilarProducts products, string? etag = null) => new(products, SearchFailure.None, etag);

    public static SimilarProductsResult Unchanged(string etag) => new(null, SearchFailure.None, etag);

    public static SimilarProductsResult Failed(SearchFailure failure) => new(null, failure);
}
