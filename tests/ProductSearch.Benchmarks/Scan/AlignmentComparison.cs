using System.Diagnostics;
using ProductSearch.Vectors;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>
/// Why <see cref="VectorMatrix"/> starts its rows on a cache line: the scan kernel over the same 10,000 x 512 rows,
/// in the same memory, read from a 64-byte boundary and from 16, 32 and 48 bytes past one, in alternating rounds.
/// A managed float array starts wherever the allocator put it (24 bytes past a line, in one probe).
/// </summary>
internal static class AlignmentComparison
{
    public static void Run(bool quick)
    {
        const int dimension = 512;
        var count = quick ? 2_000 : 10_000;
        // The matrix's own aligned storage, with room to read the same rows up to 48 bytes later.
        var buffer = new AlignedBuffer<float>((count * dimension) + 16);
        var random = new Random(5);
        foreach (ref var value in buffer.AsSpan(0, buffer.Length))
        {
            value = (float)((random.NextDouble() * 2) - 1);
        }

        var query = UnitVectors.Create(dimension, seed: 9);
        int[] offsets = [0, 4, 8, 12];
        var times = offsets.ToDictionary(o => o, _ => new List<double>());
        var dots = new float[64];
        for (var round = -3; round < (quick ? 20 : 60); round++)
        {
            foreach (var offset in offsets)
            {
                var rows = buffer.AsSpan(offset, count * dimension);
                var started = Stopwatch.GetTimestamp();
                for (var start = 0; start < count; start += 64)
                {
                    var block = Math.Min(64, count - start);
                    BlockDotProduct.Compute(query, rows.Slice(start * dimension, block * dimension), dots.AsSpan(0, block));
                }

                if (round >= 0)
                {
                    times[offset].Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds);
                }
            }
        }

        var table = new ResultTable($"Scan kernel, {count:N0} x {dimension}, one core, the same rows read at each alignment (median per pass)", "aligned", "offset");
        foreach (var offset in offsets.Skip(1))
        {
            table.Add($"64-byte aligned vs {offset * sizeof(float)} bytes past a line, offset/aligned", Median(times[0]), Median(times[offset]), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
        }

        table.Print();
    }
}
