using System.Numerics.Tensors;
using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class BlockDotProductTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 7)]
    [InlineData(9, 16)]
    [InlineData(64, 33)]
    [InlineData(13, 512)]
    public void Compute_MatchesOneDotPerRow_ForAnyRowCountAndDimension(int rowCount, int dimension)
    {
        var rows = NaiveNearest.RandomUnitVectors(rowCount, dimension, seed: rowCount * dimension);
        var flat = rows.SelectMany(r => r).ToArray();
        var query = NaiveNearest.RandomUnitVector(new Random(17), dimension);
        var dots = new float[rowCount];

        BlockDotProduct.Compute(query, flat, dots);

        Assert.All(Enumerable.Range(0, rowCount), i => Assert.InRange(dots[i], TensorPrimitives.Dot(query, rows[i]) - 1e-5f, TensorPrimitives.Dot(query, rows[i]) + 1e-5f));
    }
}
