using System.Numerics.Tensors;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>The memory floor: one pass summing the same bytes, on as many cores as the scan may use.</summary>
internal static class MemoryFloor
{
    /// <param name="length">Floats to read from the start of <paramref name="rows"/>: half of them are the bytes of a float16 matrix.</param>
    public static float Sum(float[] rows, int cores, int? length = null)
    {
        var count = length ?? rows.Length;
        if (cores == 1)
        {
            return TensorPrimitives.Sum(rows.AsSpan(0, count));
        }

        var sums = new float[cores];
        var perCore = (count + cores - 1) / cores;
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, core =>
        {
            var start = Math.Min(count, core * perCore);
            sums[core] = TensorPrimitives.Sum(rows.AsSpan(start, Math.Min(perCore, count - start)));
        });
        return TensorPrimitives.Sum(sums);
    }
}
