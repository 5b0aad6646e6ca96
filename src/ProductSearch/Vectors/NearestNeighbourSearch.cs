using System.Buffers;
using System.Numerics;

namespace ProductSearch.Vectors;

/// <summary>
/// Exact nearest neighbours by Euclidean distance over a <see cref="VectorMatrix"/> or a <see cref="Float16VectorMatrix"/>
/// (and candidates picked on int8 codes, then ranked exactly, behind an <see cref="Int8PrefilteredMatrix"/>).
/// On unit vectors |q - x|^2 = 2 - 2 q.x, so the scan is a blocked matrix-vector product (<see cref="BlockDotProduct"/>)
/// feeding a bounded heap; the few candidates kept are then re-ranked with the direct distance, which also restores
/// the precision 2 - 2 q.x loses for near-duplicates.
/// A large category is split over the cores, each scanning a contiguous slice with its own heap.
/// </summary>
internal static class NearestNeighbourSearch
{
    // Rows scored per kernel call: 64 scores live on the stack and the per-call cost is spread thin.
    private const int BlockRows = 64;

    // Below about a megabyte of float32 a fork-join costs more than it saves; from there every core helps, one
    // slice each (the `scan` benchmark, docs/performance.md).
    private const long ParallelThreshold = 250_000;

    // A mask allowing fewer than one row in this many is searched row by row (the exact distance of each allowed row)
    // instead of by the block scan: where the two cost the same, measured by the `filter` benchmark (docs/performance.md).
    private const int DirectRowCost = 8;

    /// <param name="maxParallelism">Cores one query may use; -1 for all. A host answering many queries at once may prefer 1.</param>
    /// <param name="allowed">
    /// The only rows that may be returned (a filter's matches), covering exactly the matrix's rows; null for every row.
    /// The answer is the exact nearest N among them, never the nearest N of all rows with the others dropped.
    /// </param>
    public static List<Neighbour> Search(
        VectorMatrix matrix, ReadOnlySpan<float> query, int top, int excludedRow = -1, int maxParallelism = -1, RowMask? allowed = null) =>
        SearchRows(matrix, query, top, excludedRow, maxParallelism, allowed, MaskedScan.Auto);

    /// <inheritdoc cref="Search(VectorMatrix, ReadOnlySpan{float}, int, int, int, RowMask)"/>
    public static List<Neighbour> Search(
        Float16VectorMatrix matrix, ReadOnlySpan<float> query, int top, int excludedRow = -1, int maxParallelism = -1, RowMask? allowed = null) =>
        SearchRows(matrix, query, top, excludedRow, maxParallelism, allowed, MaskedScan.Auto);

    /// <inheritdoc cref="Search(VectorMatrix, ReadOnlySpan{float}, int, int, int, RowMask)"/>
    public static List<Neighbour> Search(
        Int8PrefilteredMatrix matrix, ReadOnlySpan<float> query, int top, int excludedRow = -1, int maxParallelism = -1, RowMask? allowed = null) =>
        SearchRows(matrix, query, top, excludedRow, maxParallelism, allowed, MaskedScan.Auto);

    /// <summary>The same search over whichever matrix a <c>CategoryIndex</c> keeps.</summary>
    internal static List<Neighbour> Search(
        IEditableRows matrix, ReadOnlySpan<float> query, int top, int excludedRow = -1, int maxParallelism = -1, RowMask? allowed = null) =>
        SearchRows(matrix, query, top, excludedRow, maxParallelism, allowed, MaskedScan.Auto);

    /// <summary>The search by the colour-weighted distance (see <see cref="ColourWeightedRows"/>).</summary>
    internal static List<Neighbour> Search(ColourWeightedRows rows, int top, int excludedRow = -1, int maxParallelism = -1, RowMask? allowed = null) =>
        SearchRows(rows, rows.ScanQuery, top, excludedRow, maxParallelism, allowed, MaskedScan.Auto);

    /// <summary>A masked search by the way asked for, whatever the mask's density: for tests of each way and the crossover benchmark.</summary>
    internal static List<Neighbour> Search(IScannableRows rows, ReadOnlySpan<float> query, int top, int excludedRow, RowMask allowed, MaskedScan scan) =>
        SearchRows(rows, query, top, excludedRow, -1, allowed, scan);

    private static List<Neighbour> SearchRows(
        IScannableRows matrix, ReadOnlySpan<float> query, int top, int excludedRow, int maxParallelism, RowMask? allowed, MaskedScan scan)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        if (query.Length != matrix.Dimension)
        {
            throw new ArgumentException($"Query has {query.Length} values; the category holds {matrix.Dimension}-d vectors.", nameof(query));
        }

        if (allowed is not null && allowed.Rows != matrix.Count)
        {
            throw new ArgumentException($"The mask covers {allowed.Rows} rows; the matrix holds {matrix.Count}.", nameof(allowed));
        }

        var excludes = excludedRow >= 0 && excludedRow < matrix.Count && (allowed is null || allowed.Contains(excludedRow));
        var available = (allowed?.Count ?? matrix.Count) - (excludes ? 1 : 0);
        top = Math.Min(top, available);
        if (top <= 0)
        {
            return [];
        }

        if (allowed is not null && (scan == MaskedScan.Direct || (scan == MaskedScan.Auto && IsSparse(allowed))))
        {
            return SearchAllowedRows(matrix, query, top, excludedRow, allowed);
        }

        var keep = Math.Min(top + matrix.RerankMargin, available);
        var chunks = ChunkCount(matrix, maxParallelism);
        var bound = matrix.ScoreErrorBound(query);
        while (true)
        {
            var candidates = chunks == 1
                ? ScanOnOneCore(matrix, query, keep, excludedRow, allowed)
                : ScanInParallel(matrix, query.ToArray(), chunks, keep, excludedRow, allowed);
            if (keep == available || HoldsEveryPossibleTopN(candidates, top, bound))
            {
                return Rerank(matrix, query, candidates, top);
            }

            // Rare: more rows than the margin scored too close to the N-th to rule out. Keep more and scan again.
            keep = (int)Math.Min(available, keep * 4L);
        }
    }

    // With every score within `bound` of the exact one, a row of the exact top N scores at most the N-th kept score
    // plus twice the bound; when the worst score kept is above that (at least N kept scores beat it by twice the
    // bound), no such row was left out. Counted, not sorted: no copy of the kept scores per query.
    private static bool HoldsEveryPossibleTopN(TopNSelector candidates, int top, float bound) =>
        bound == 0 || candidates.CountBetterByMargin(2 * bound) >= top;

    private static int ChunkCount(IScannableRows matrix, int maxParallelism)
    {
        var cores = maxParallelism is > 0 ? Math.Min(maxParallelism, Environment.ProcessorCount) : Environment.ProcessorCount;
        var byWork = (long)matrix.Count * matrix.Dimension / ParallelThreshold;
        return (int)Math.Clamp(Math.Min(byWork, matrix.Count / BlockRows), 1, cores);
    }

    private static TopNSelector ScanOnOneCore(IScannableRows matrix, ReadOnlySpan<float> query, int keep, int excludedRow, RowMask? allowed)
    {
        var selector = new TopNSelector(keep);
        var scratch = matrix.ScratchLength > 0 ? ArrayPool<float>.Shared.Rent(matrix.ScratchLength) : [];
        Scan(matrix, query, 0, matrix.Count, excludedRow, allowed, ref selector, scratch);
        ReturnScratch(scratch);
        return selector;
    }

    private static TopNSelector ScanInParallel(IScannableRows matrix, float[] query, int chunks, int keep, int excludedRow, RowMask? allowed)
    {
        // Slices are whole blocks so every kernel call but the last gets a full block.
        var perChunk = ((matrix.Count / chunks) + BlockRows - 1) / BlockRows * BlockRows;
        var selectors = new TopNSelector[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            var start = Math.Min(matrix.Count, chunk * perChunk);
            var end = chunk == chunks - 1 ? matrix.Count : Math.Min(matrix.Count, start + perChunk);
            var selector = new TopNSelector(keep);
            var scratch = matrix.ScratchLength > 0 ? ArrayPool<float>.Shared.Rent(matrix.ScratchLength) : [];
            Scan(matrix, query, start, end, excludedRow, allowed, ref selector, scratch);
            ReturnScratch(scratch);
            selectors[chunk] = selector;
        });

        var merged = new TopNSelector(keep);
        foreach (var selector in selectors)
        {
            selector.OfferAllTo(ref merged);
        }

        return merged;
    }

    // `start` is a multiple of the block size, so each block is one word of the mask.
    private static void Scan(
        IScannableRows matrix, ReadOnlySpan<float> query, int start, int end, int excludedRow, RowMask? allowed, ref TopNSelector selector, Span<float> scratch)
    {
        Span<float> scores = stackalloc float[BlockRows];
        var words = allowed is null ? default : allowed.Words;
        matrix.PrepareQuery(query, scratch);
        for (var blockStart = start; blockStart < end; blockStart += BlockRows)
        {
            var rows = allowed is null ? ulong.MaxValue : words[blockStart / BlockRows];
            if (rows == 0)
            {
                continue;
            }

            var block = scores[..Math.Min(BlockRows, end - blockStart)];
            matrix.Score(query, blockStart, block, scratch);
            var threshold = selector.Threshold;
            for (var i = 0; i < block.Length; i++)
            {
                // Lower is better; most rows fail this one comparison and cost nothing more.
                if (block[i] <= threshold && blockStart + i != excludedRow && ((rows >> i) & 1) != 0)
                {
                    selector.Offer(blockStart + i, block[i]);
                    matrix.PrefetchForRerank(blockStart + i);
                    threshold = selector.Threshold;
                }
            }
        }
    }

    // Few rows allowed: each is measured by the exact distance, as the re-rank would, and nothing else is read.
    private static List<Neighbour> SearchAllowedRows(IScannableRows matrix, ReadOnlySpan<float> query, int top, int excludedRow, RowMask allowed)
    {
        var selector = new TopNSelector(top);
        var scratch = ArrayPool<float>.Shared.Rent(matrix.Dimension);
        var words = allowed.Words;
        for (var word = 0; word < words.Length; word++)
        {
            for (var rows = words[word]; rows != 0; rows &= rows - 1)
            {
                var row = (word * 64) + BitOperations.TrailingZeroCount(rows);
                if (row == excludedRow)
                {
                    continue;
                }

                // The next allowed row is somewhere ahead: asking for it now overlaps its cache miss with this distance.
                var next = rows & (rows - 1);
                if (next != 0)
                {
                    matrix.Prefetch((word * 64) + BitOperations.TrailingZeroCount(next), 1);
                }

                selector.Offer(row, matrix.Distance(query, row, scratch));
            }
        }

        ArrayPool<float>.Shared.Return(scratch);
        var results = new List<Neighbour>(selector.Count);
        for (var i = 0; i < selector.Count; i++)
        {
            results.Add(new Neighbour(selector.RowAt(i), selector.ScoreAt(i)));
        }

        results.Sort(ByDistanceThenRow);
        return results;
    }

    private static bool IsSparse(RowMask allowed) => (long)allowed.Count * DirectRowCost < allowed.Rows;

    private static List<Neighbour> Rerank(IScannableRows matrix, ReadOnlySpan<float> query, TopNSelector candidates, int top)
    {
        // One row's room, once per query: a row kept in another form is widened or assembled there to be measured.
        var scratch = ArrayPool<float>.Shared.Rent(matrix.Dimension);
        var results = new List<Neighbour>(candidates.Count);

        // Candidates lie anywhere in the matrix: asking for all of them first overlaps their cache misses.
        for (var i = 0; i < candidates.Count; i++)
        {
            matrix.Prefetch(candidates.RowAt(i), 1);
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            var row = candidates.RowAt(i);
            results.Add(new Neighbour(row, matrix.Distance(query, row, scratch)));
        }

        ArrayPool<float>.Shared.Return(scratch);
        results.Sort(ByDistanceThenRow);
        if (results.Count > top)
        {
            results.RemoveRange(top, results.Count - top);
        }

        return results;
    }

    private static int ByDistanceThenRow(Neighbour a, Neighbour b) =>
        a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Row.CompareTo(b.Row);

    private static void ReturnScratch(float[] scratch)
    {
        if (scratch.Length > 0)
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}
