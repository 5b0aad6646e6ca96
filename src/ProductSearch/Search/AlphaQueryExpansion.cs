using System.Numerics.Tensors;

namespace ProductSearch.Search;

/// <summary>
/// α-weighted query expansion (Radenović et al., TPAMI 2018): the query is replaced by the normalised sum of itself and
/// its k nearest neighbours, each weighted by (cosine similarity)^α. Other shots of the same product are usually among
/// the first neighbours, so the expanded query also finds the shots the original view alone misses. α = 0 is plain
/// average query expansion; α = 3 trusts close neighbours much more than farther ones.
/// </summary>
internal static class AlphaQueryExpansion
{
    /// <summary>Starts an expansion: <paramref name="expanded"/> becomes the query itself (weight 1).</summary>
    public static void Begin(ReadOnlySpan<float> query, Span<float> expanded) => query.CopyTo(expanded);

    /// <summary>Adds one neighbour, weighted by its similarity to the original query.</summary>
    public static void Add(ReadOnlySpan<float> query, ReadOnlySpan<float> neighbour, float alpha, Span<float> expanded)
    {
        var cosine = Math.Max(TensorPrimitives.Dot(query, neighbour), 0f);
        var weight = alpha == 0f ? 1f : MathF.Pow(cosine, alpha);
        TensorPrimitives.MultiplyAdd(neighbour, weight, expanded, expanded);
    }

    /// <summary>Makes the expanded query unit length again, as every indexed vector is.</summary>
    public static void Finish(Span<float> expanded)
    {
        var norm = TensorPrimitives.Norm(expanded);
        if (norm > 0)
        {
            TensorPrimitives.Divide(expanded, norm, expanded);
        }
    }
}
