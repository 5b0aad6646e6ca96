using ProductSearch.Search.Filtering;

namespace ProductSearch.Search;

/// <summary>
/// What the caller asks for: N results, one per product by default, none farther than a distance, at a colour weight.
/// What the query is about, and so what it leaves out, is its <see cref="QuerySubject"/>.
/// </summary>
public sealed record SimilarityQuery(int Top)
{
    /// <summary>At most one image per product (its closest), so N results are N different products.</summary>
    public bool GroupByProduct { get; init; } = true;

    /// <summary>Results farther than this are dropped (Euclidean between unit vectors, 0 to 2).</summary>
    public float MaxDistance { get; init; } = float.PositiveInfinity;

    /// <summary>
    /// w in d^2 = d_shape^2 + w^2 d_colour^2 (then divided by 1 + w^2, so distances stay 0 to 2): 0 is shape only, exactly
    /// the CNN ranking. Applied only where the model has colour and every row of the category holds it.
    /// </summary>
    public float ColourWeight { get; init; }

    /// <summary>Only products whose labels match are answered: the true nearest N among them. Null: every product.</summary>
    public ProductFilter? Filter { get; init; }

    /// <summary>Similarity in [0, 1] of unit vectors: 1 - d^2/4 = (1 + cos)/2, so 1 is the same direction, 0.5 orthogonal.</summary>
    public static float SimilarityOf(float distance) => Math.Clamp(1f - (distance * distance / 4f), 0f, 1f);

    /// <summary>The distance whose <see cref="SimilarityOf"/> is <paramref name="similarity"/>.</summary>
    public static float DistanceOf(float similarity) => MathF.Sqrt(4f * (1f - Math.Clamp(similarity, 0f, 1f)));
}
