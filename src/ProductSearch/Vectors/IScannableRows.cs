namespace ProductSearch.Vectors;

/// <summary>
/// What the nearest-neighbour scan needs from a matrix, whatever its element type: scores for a block of
/// rows at a time (one interface call per block, not per row) and the exact distance of a candidate.
/// </summary>
internal interface IScannableRows
{
    int Dimension { get; }

    int Count { get; }

    /// <summary>Unit-length rows are scored by -q.x, others by the direct distance.</summary>
    VectorGeometry Geometry { get; }

    /// <summary>Floats of working space a scanning thread must pass in (0 when rows are read in place).</summary>
    int ScratchLength { get; }

    /// <summary>Candidates the scan keeps beyond N for the exact re-rank: enough to absorb the rounding of <see cref="Score"/>.</summary>
    int RerankMargin { get; }

    /// <summary>Puts the query in the form <see cref="Score"/> reads (scaled, quantised) into the scratch: once per scanning thread.</summary>
    void PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch);

    /// <summary>Writes a lower-is-better score for rows <c>start .. start + scores.Length - 1</c>: -q.x for <see cref="VectorGeometry.UnitLength"/> rows, else |q - x|; the scratch holds what <see cref="PrepareQuery"/> wrote.</summary>
    void Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch);

    /// <summary>
    /// How far <see cref="Score"/> may be from the exact -q.x for this query when it reads a coarser copy of the rows
    /// than the re-rank does, beyond float rounding: the search then keeps every candidate within twice this of the
    /// N-th, so the coarse copy never changes the answer. 0 (the default) when scores are exact but for rounding.
    /// </summary>
    float ScoreErrorBound(ReadOnlySpan<float> query) => 0;

    /// <summary>
    /// Starts bringing rows <c>start .. start + rows - 1</c> into the cache, for reads the hardware prefetcher cannot
    /// foresee (re-ranked candidates, a scan's next block after other work). A hint: a format may ignore it (the default).
    /// </summary>
    void Prefetch(int start, int rows)
    {
    }

    /// <summary>
    /// The scan keeps <paramref name="row"/> as a candidate for now: starts bringing into the cache what the exact
    /// re-rank will read of it and the scan did not. A hint; nothing to do (the default) when the scan read the row.
    /// </summary>
    void PrefetchForRerank(int row)
    {
    }

    /// <summary>
    /// Euclidean distance between the query and one row, computed directly (no 2 - 2 q.x cancellation). The scratch holds
    /// at least <see cref="Dimension"/> values, free for the call (not what <see cref="PrepareQuery"/> wrote).
    /// </summary>
    float Distance(ReadOnlySpan<float> query, int row, Span<float> scratch);
}
