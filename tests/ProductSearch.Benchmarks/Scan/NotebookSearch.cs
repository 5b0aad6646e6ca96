namespace ProductSearch.Benchmarks.Scan;

/// <summary>
/// The notebook's way, the baseline to beat by 10x: every Euclidean distance with plain scalar code, then a
/// full sort of all of them, then the first N.
/// </summary>
internal static class NotebookSearch
{
    public static int[] Search(float[] rows, int dimension, float[] query, int top)
    {
        var count = rows.Length / dimension;
        var distances = new float[count];
        var ids = new int[count];
        for (var row = 0; row < count; row++)
        {
            var sum = 0f;
            for (var i = 0; i < dimension; i++)
            {
                var d = query[i] - rows[(row * dimension) + i];
                sum += d * d;
            }

            distances[row] = MathF.Sqrt(sum);
            ids[row] = row;
        }

        Array.Sort(distances, ids);
        return ids[..Math.Min(top, count)];
    }
}
