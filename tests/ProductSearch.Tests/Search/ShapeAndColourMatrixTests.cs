using System.Numerics.Tensors;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public sealed class ShapeAndColourMatrixTests
{
    private const int Shape = 64;
    private const int Colour = 216;

    [Theory]
    [InlineData(0f)]
    [InlineData(0.35f)]
    [InlineData(1f)]
    [InlineData(4f)]
    public void SearchesExactlyAsWholeFloat32RowsDo(float weight)
    {
        var random = new Random(21);
        var whole = new VectorMatrix(Shape + Colour);
        var split = new ShapeAndColourMatrix(new VectorMatrix(Shape), Colour);
        for (var i = 0; i < 3000; i++)
        {
            var row = Row(Unit(random, Shape), Histogram(random, nonZero: random.Next(1, 60)));
            whole.Add(row);
            split.Add(row);
        }

        for (var q = 0; q < 20; q++)
        {
            var query = new float[Shape + Colour];
            whole.CopyRow(random.Next(whole.Count), query);

            var expected = NearestNeighbourSearch.Search(new ColourWeightedRows(whole, query, Colour, weight), 12);
            var found = NearestNeighbourSearch.Search(new ColourWeightedRows(split, query, Colour, weight), 12);

            Assert.Equal(expected.Select(n => n.Row), found.Select(n => n.Row));
            Assert.Equal(expected.Select(n => n.Distance), found.Select(n => n.Distance));
        }
    }

    [Fact]
    public void ColoursTheByteCodesCannotTellApartStillRankByTheirExactDistance()
    {
        // One shape, and colours within one code step (1/255) of each other: the scan sees them all alike (and float
        // scores could not order them either), so only the exact distances of the float rows can, and the search must
        // keep every one of them for that.
        var random = new Random(22);
        var shape = Unit(random, Shape);
        var split = new ShapeAndColourMatrix(new VectorMatrix(Shape), Colour);
        var rows = new List<float[]>();
        for (var i = 0; i < 200; i++)
        {
            var colour = new float[Colour];
            colour[3] = (100f / 255f) + (float)((random.NextDouble() - 0.5) * 0.0038);
            colour[40] = MathF.Sqrt(1 - (colour[3] * colour[3]));
            rows.Add(Row(shape, colour));
            split.Add(rows[^1]);
        }

        var query = rows[0];
        var found = NearestNeighbourSearch.Search(new ColourWeightedRows(split, query, Colour, 1f), 5, excludedRow: 0);

        var exact = Enumerable.Range(1, rows.Count - 1)
            .Select(i => (Row: i, Distance: ColourWeightedRows.WeightedDistance(query, rows[i], Shape, 1f)))
            .OrderBy(n => n.Distance).ThenBy(n => n.Row).Take(5).ToList();
        Assert.Equal(exact.Select(n => n.Row), found.Select(n => n.Row));
        Assert.Equal(exact.Select(n => n.Distance), found.Select(n => n.Distance));
    }

    [Fact]
    public void RowsReadBackExactlyThroughAddsReplacementsAndRemovals()
    {
        var random = new Random(23);
        var model = new List<float[]>();
        var split = new ShapeAndColourMatrix(new VectorMatrix(Shape), Colour);
        for (var step = 0; step < 600; step++)
        {
            var row = Row(Unit(random, Shape), Histogram(random, nonZero: 20));
            switch (model.Count == 0 ? 0 : random.Next(3))
            {
                case 0:
                    Assert.Equal(model.Count, split.Add(row));
                    model.Add(row);
                    break;
                case 1:
                    var replaced = random.Next(model.Count);
                    split.Replace(replaced, row);
                    model[replaced] = row;
                    break;
                default:
                    var removed = random.Next(model.Count);
                    var moved = split.RemoveSwapLast(removed);
                    Assert.Equal(removed == model.Count - 1 ? -1 : model.Count - 1, moved);
                    model[removed] = model[^1];
                    model.RemoveAt(model.Count - 1);
                    break;
            }
        }

        Assert.Equal(model.Count, split.Count);
        var copy = new float[Shape + Colour];
        for (var i = 0; i < model.Count; i++)
        {
            split.CopyRow(i, copy);
            Assert.Equal(model[i], copy);
        }

        // The scan agrees with the rows read back: nearest to row 0 is row 0 itself, at distance 0.
        Assert.Equal(0, NearestNeighbourSearch.Search(new ColourWeightedRows(split, model[0], Colour, 1f), 1)[0].Row);
    }

    [Fact]
    public void RefusesRowsThatAreNotUnitLength()
    {
        Assert.Throws<ArgumentException>(() => new ShapeAndColourMatrix(new VectorMatrix(Shape, geometry: VectorGeometry.Euclidean), Colour));
    }

    private static float[] Row(float[] shape, float[] colour) => [.. shape, .. colour];

    private static float[] Unit(Random random, int dimension)
    {
        var v = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    // A square-rooted histogram: non-negative, unit length, mostly zeros.
    private static float[] Histogram(Random random, int nonZero)
    {
        var h = new float[Colour];
        foreach (var bin in Enumerable.Range(0, Colour).OrderBy(_ => random.Next()).Take(nonZero))
        {
            h[bin] = (float)random.NextDouble() + 1e-3f;
        }

        TensorPrimitives.Divide(h, TensorPrimitives.Norm(h), h);
        return h;
    }
}
