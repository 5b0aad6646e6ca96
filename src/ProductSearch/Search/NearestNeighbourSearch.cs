using System.Numerics.Tensors;

namespace ProductSearch.Search;

/// <summary>
/// Exact nearest neighbours by Euclidean distance over a <see cref="VectorMatrix"/>.
/// On unit vectors |q - x|^2 = 2 - 2 q.x, so the scan is one SIMD dot product per row; the few
/// candidates kept are then re-ranked with the exact distance, which also restores the precision
/// that 2 - 2 q.x loses for near-duplicates.
/// </summary>
public static class NearestNeighbourSearch
{
    // Candidates kept beyond N so that re-ranking by exact distance cannot miss a near-tie.
    private const int RerankMargin = 8;

    // Below this many floats one core finishes before a second one would have started.
    private const long ParallelThreshold = 2_000_000;

    public static List<Neighbour> Search(VectorMatrix matrix, ReadOnlySpan<float> query, int top, bool unitVectors = true, int excludedRow = -1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        if (query.Length != matrix.Dimension)
        {
            throw new ArgumentException($"Query has {query.Length} values; the category holds {matrix.Dimension}-d vectors.", nameof(query));
        }

        var available = matrix.Count - (excludedRow >= 0 && excludedRow < matrix.Count ? 1 : 0);
        top = Math.Min(top, available);
        if (top <= 0)
        {
            return [];
        }

        var keep = Math.Min(top + RerankMargin, available);
        var candidates = new List<(int Row, float Score)>(keep * 2);
        var rows = matrix.Rows;
        var chunks = (long)matrix.Count * matrix.Dimension >= ParallelThreshold ? Environment.ProcessorCount : 1;
        if (chunks == 1)
        {
            Scan(rows, matrix.Dimension, query, 0, matrix.Count, keep, unitVectors, excludedRow, candidates);
        }
        else
        {
            ScanInParallel(matrix, query.ToArray(), chunks, keep, unitVectors, excludedRow, candidates);
        }

        var results = new List<Neighbour>(candidates.Count);
        foreach (var (row, _) in candidates)
        {
            results.Add(new Neighbour(row, TensorPrimitives.Distance(query, matrix.Row(row))));
        }

        results.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Row.CompareTo(b.Row));
        if (results.Count > top)
        {
            results.RemoveRange(top, results.Count - top);
        }

        return results;
    }

    private static void ScanInParallel(
        VectorMatrix matrix, float[] query, int chunks, int keep, bool unitVectors, int excludedRow, List<(int Row, float Score)> candidates)
    {
        var perChunk = (matrix.Count + chunks - 1) / chunks;
        var partial = new List<(int Row, float Score)>[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            var start = chunk * perChunk;
            var end = Math.Min(matrix.Count, start + perChunk);
            partial[chunk] = new List<(int Row, float Score)>(keep);
            if (start < end)
            {
                Scan(matrix.Rows, matrix.Dimension, query, start, end, keep, unitVectors, excludedRow, partial[chunk]);
            }
        });

        var merged = new TopNSelector(keep);
        foreach (var list in partial)
        {
            foreach (var (row, score) in list)
            {
                merged.Offer(row, score);
            }
        }

        merged.CopyTo(candidates);
    }

    private static void Scan(
        ReadOnlySpan<float> rows, int dimension, ReadOnlySpan<float> query, int start, int end, int keep,
        bool unitVectors, int excludedRow, List<(int Row, float Score)> candidates)
    {
        var selector = new TopNSelector(keep);
        for (var row = start; row < end; row++)
        {
            if (row == excludedRow)
            {
                continue;
            }

            var x = rows.Slice(row * dimension, dimension);
            // Lower is better: -q.x ranks unit vectors exactly as the distance does.
            var score = unitVectors ? -TensorPrimitives.Dot(query, x) : TensorPrimitives.Distance(query, x);
            if (score <= selector.Threshold)
            {
                selector.Offer(row, score);
            }
        }

        selector.CopyTo(candidates);
    }
}
