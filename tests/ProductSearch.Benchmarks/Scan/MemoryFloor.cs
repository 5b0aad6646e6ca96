using System.Numerics.Tensors;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>The memory floor: one pass summing the same bytes, on as many cores as the scan may use.</summary>
internal static class MemoryFloor
{
    public static float Sum(float[] rows, int cores)
    {
        if (cores == 1)
        {
            return TensorPrimitives.Sum(rows);
        }

        var sums = new float[cores];
        var perCore = (rows.Length + cores - 1) / cores;
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, core =>
        {
            var start = Math.Min(rows.Length, core * perCore);
            sums[core] = TensorPrimitives.Sum(rows.AsSpan(start, Math.Min(perCore, rows.Length - start)));
        });
        return TensorPrimitives.Sum(sums);
    }
}
