namespace ProductSearch.Search;

/// <summary>
/// Applies <see cref="AlphaQueryExpansion"/> to a query against one category before the real search: a first search
/// for the k nearest images (any product, the query image itself left out), then their vectors folded into the query.
/// </summary>
public sealed class QueryExpander
{
    public QueryExpander(int neighbours, float alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(neighbours);
        Neighbours = neighbours;
        Alpha = alpha;
    }

    /// <summary>k; 0 turns expansion off.</summary>
    public int Neighbours { get; }

    public float Alpha { get; }

    /// <summary>The expanded query, or <paramref name="query"/> itself when expansion is off or nothing is near.</summary>
    public float[] Expand(CategoryIndex index, float[] query, string? excludedImageId)
    {
        if (Neighbours == 0)
        {
            return query;
        }

        var (nearest, _, _) = index.Search(query, new SimilarityQuery(Neighbours) { GroupByProduct = false, ExcludedImageId = excludedImageId });
        if (nearest.Count == 0)
        {
            return query;
        }

        // Only the CNN block is expanded: the colour block stays the query's own, so both blocks stay unit length.
        var shape = query.Length - index.ColourDimension;
        var expanded = (float[])query.Clone();
        AlphaQueryExpansion.Begin(query.AsSpan(0, shape), expanded.AsSpan(0, shape));
        foreach (var (image, _, _, _) in nearest)
        {
            // An image removed since the first search is simply not used.
            if (index.GetVector(image.ImageId) is { } vector)
            {
                AlphaQueryExpansion.Add(query.AsSpan(0, shape), vector.AsSpan(0, shape), Alpha, expanded.AsSpan(0, shape));
            }
        }

        AlphaQueryExpansion.Finish(expanded.AsSpan(0, shape));
        return expanded;
    }
}
