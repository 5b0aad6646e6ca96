using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public sealed class ColourColumnDotTests
{
    [Theory]
    [InlineData(2, 0, 64)]
    [InlineData(2, 3, 1)]
    [InlineData(6, 5, 31)]
    [InlineData(10, 64, 100)]
    [InlineData(216, 17, 77)]
    public void SubtractsTheExactIntegerSumOfEveryRowFromItsScore(int columnCount, int start, int rows)
    {
        // The vector path takes whole runs of 32 rows and the rest is scalar: both must give the same value a plain
        // integer sum gives, from any start, including the extremes of codes and int16 weights.
        var random = new Random(columnCount + start + rows);
        var columns = Enumerable.Range(0, columnCount).Select(_ => new AlignedBuffer<byte>(start + rows + 64)).ToArray();
        foreach (var column in columns)
        {
            random.NextBytes(column.AsSpan(0, column.Length));
            column[start] = 255;
        }

        var values = Enumerable.Range(0, columnCount).Select(i => i == 0 ? ColourColumnDot.QueryScale : random.Next(-ColourColumnDot.QueryScale, ColourColumnDot.QueryScale + 1)).ToArray();
        var weights = Enumerable.Range(0, columnCount / 2).Select(p => (ushort)(short)values[2 * p] | (values[(2 * p) + 1] << 16)).ToArray();
        var scores = Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble()).ToArray();
        const float factor = 1f / (ColourColumnDot.QueryScale * 255f);

        var expected = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            long sum = 0;
            for (var c = 0; c < columnCount; c++)
            {
                sum += columns[c][start + r] * values[c];
            }

            expected[r] = scores[r] - ((int)sum * factor);
        }

        ColourColumnDot.Subtract([.. columns.Select(c => c.Address)], weights, factor, start, scores);

        Assert.Equal(expected, scores);
    }
}
