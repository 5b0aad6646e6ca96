using System.Numerics.Tensors;
using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class HalfBlockDotProductTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 7)]
    [InlineData(9, 16)]
    [InlineData(8, 32)]
    [InlineData(64, 33)]
    [InlineData(13, 512)]
    [InlineData(4, 25_088)]
    public void Compute_MatchesWideningFirst_ForAnyRowCountAndDimension(int rowCount, int dimension)
    {
        var rows = NaiveNearest.RandomUnitVectors(rowCount, dimension, seed: rowCount * dimension);
        var halves = new Half[rowCount * dimension];
        TensorPrimitives.ConvertToHalf(rows.SelectMany(r => r).ToArray(), halves);
        var widened = new float[halves.Length];
        TensorPrimitives.ConvertToSingle(halves, widened);
        var query = NaiveNearest.RandomUnitVector(new Random(17), dimension);

        var dots = Compute(query, halves, rowCount);

        for (var i = 0; i < rowCount; i++)
        {
            var expected = TensorPrimitives.Dot(query, widened.AsSpan(i * dimension, dimension));
            Assert.InRange(dots[i], expected - 1e-5f, expected + 1e-5f);
        }
    }

    [Fact]
    public void Compute_WidensEveryFiniteFloat16Exactly_IncludingSubnormalsAndSigns()
    {
        // Each row holds one float16 bit pattern at a position the query picks out with 1: the dot product is then
        // the widened value itself, and it must equal the runtime's conversion bit for bit.
        const int Dimension = 32;
        var patterns = Enumerable.Range(0, 1 << 16).Select(b => BitConverter.UInt16BitsToHalf((ushort)b)).Where(Half.IsFinite).ToArray();
        for (var position = 0; position < Dimension; position += 31)
        {
            var halves = new Half[patterns.Length * Dimension];
            for (var row = 0; row < patterns.Length; row++)
            {
                halves[(row * Dimension) + position] = patterns[row];
            }

            var query = new float[Dimension];
            query[position] = 1f;

            var dots = Compute(query, halves, patterns.Length);

            for (var row = 0; row < patterns.Length; row++)
            {
                Assert.Equal((float)patterns[row], dots[row]);
            }
        }
    }

    private static float[] Compute(float[] query, Half[] halves, int rowCount)
    {
        var scaled = new float[query.Length];
        HalfBlockDotProduct.ScaleQuery(query, scaled);
        var dots = new float[rowCount];
        HalfBlockDotProduct.Compute(scaled, halves, dots);
        return dots;
    }
}
