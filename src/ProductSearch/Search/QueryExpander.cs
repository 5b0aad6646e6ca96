namespace ProductSearch.Search;

/// <summary>
/// <see cref="AlphaQueryExpansion"/> of a query against one category: <see cref="CategoryIndex.Answer"/> first searches
/// for the k nearest images (any product, the query image itself left out), then folds their vectors into the query here.
/// </summary>
public sealed class QueryExpander
{
    public QueryExpander(int neighbours, float alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(neighbours);
        Neighbours = neighbours;
        Alpha = alpha;
    }

    /// <summary>No expansion: the query is searched as it is.</summary>
    public static QueryExpander None { get; } = new(0, 0);

    /// <summary>k; 0 turns expansion off.</summary>
    public int Neighbours { get; }

    public float Alpha { get; }

    /// <summary>
    /// The query with <paramref name="neighbours"/> folded in, or <paramref name="query"/> itself when there are none. Only
    /// the first <paramref name="shapeDimension"/> values (the CNN block) are expanded: the colour block stays the query's
    /// own, so both blocks stay unit length.
    /// </summary>
    public float[] Fold(float[] query, IReadOnlyList<float[]> neighbours, int shapeDimension)
    {
        if (neighbours.Count == 0)
        {
            return query;
        }

        var expanded = (float[])query.Clone();
        var shape = query.AsSpan(0, shapeDimension);
        AlphaQueryExpansion.Begin(shape, expanded.AsSpan(0, shapeDimension));
        foreach (var neighbour in neighbours)
        {
            AlphaQueryExpansion.Add(shape, neighbour.AsSpan(0, shapeDimension), Alpha, expanded.AsSpan(0, shapeDimension));
        }

        AlphaQueryExpansion.Finish(expanded.AsSpan(0, shapeDimension));
        return expanded;
    }
}
