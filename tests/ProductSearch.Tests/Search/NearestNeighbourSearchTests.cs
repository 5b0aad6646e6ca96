using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class NearestNeighbourSearchTests
{
    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(37, 5, 4)]
    [InlineData(300, 512, 10)]
    [InlineData(1000, 19, 50)]
    public void Search_AgreesWithNaiveReference_OnRandomUnitVectors(int count, int dimension, int top)
    {
        var rows = NaiveNearest.RandomUnitVectors(count, dimension, seed: count + dimension);
        var query = NaiveNearest.RandomUnitVector(new Random(1), dimension);

        var found = NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, dimension), query, top);

        AssertSameNeighbours(NaiveNearest.Search(rows, query, top), found);
    }

    [Fact]
    public void Search_SplitOverCores_AgreesWithOneCore()
    {
        // 4,000 x 512 is above the parallel threshold, so the default call scans in slices and merges heaps.
        var rows = NaiveNearest.RandomUnitVectors(4000, 512, seed: 5);
        var query = NaiveNearest.RandomUnitVector(new Random(2), 512);
        var matrix = NaiveNearest.ToMatrix(rows, 512);

        var parallel = NearestNeighbourSearch.Search(matrix, query, 20, excludedRow: 3999);

        AssertSameNeighbours(NaiveNearest.Search(rows, query, 20, excludedRow: 3999), parallel);
        Assert.Equal(NearestNeighbourSearch.Search(matrix, query, 20, excludedRow: 3999, maxParallelism: 1), parallel);
    }

    [Fact]
    public void Search_NonUnitVectors_RanksByEuclideanDistance()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 24).Select(_ => (float)(random.NextDouble() * 10)).ToArray()).ToArray();
        var query = rows[17].Select(x => x + 0.5f).ToArray();

        var found = NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 24, VectorGeometry.Euclidean), query, 5);

        AssertSameNeighbours(NaiveNearest.Search(rows, query, 5), found);
    }

    [Fact]
    public void Search_TopLargerThanCategory_ReturnsEveryRowOnce()
    {
        var rows = NaiveNearest.RandomUnitVectors(6, 8, seed: 4);

        var found = NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 8), rows[0], 100);

        Assert.Equal(Enumerable.Range(0, 6).Order(), found.Select(n => n.Row).Order());
    }

    [Fact]
    public void Search_EmptyCategory_ReturnsNothing()
    {
        Assert.Empty(NearestNeighbourSearch.Search(new VectorMatrix(8), new float[8], 4));
    }

    [Fact]
    public void Search_TopZero_ReturnsNothing()
    {
        var rows = NaiveNearest.RandomUnitVectors(10, 8, seed: 6);

        Assert.Empty(NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 8), rows[0], 0));
    }

    [Fact]
    public void Search_OnlyRowExcluded_ReturnsNothing()
    {
        var rows = NaiveNearest.RandomUnitVectors(1, 8, seed: 7);

        Assert.Empty(NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 8), rows[0], 4, excludedRow: 0));
    }

    [Fact]
    public void Search_ExcludedRow_NeverAppearsEvenWhenNearest()
    {
        var rows = NaiveNearest.RandomUnitVectors(50, 16, seed: 8);

        var found = NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 16), rows[20], 49, excludedRow: 20);

        Assert.Equal(49, found.Count);
        Assert.DoesNotContain(found, n => n.Row == 20);
    }

    [Fact]
    public void Search_IdenticalRows_BreakTiesByRow()
    {
        var vector = NaiveNearest.RandomUnitVector(new Random(9), 16);
        var other = NaiveNearest.RandomUnitVector(new Random(10), 16);
        float[][] rows = [other, vector, other, vector, vector, other];

        var found = NearestNeighbourSearch.Search(NaiveNearest.ToMatrix(rows, 16), vector, 3);

        Assert.Equal([1, 3, 4], found.Select(n => n.Row));
    }

    [Fact]
    public void Search_IdenticalRowsOverManyBlocks_KeepLowestRows()
    {
        // 3,000 copies force ties across blocks and, on several cores, across slices.
        var vector = NaiveNearest.RandomUnitVector(new Random(11), 512);
        var matrix = new VectorMatrix(512);
        for (var i = 0; i < 3000; i++)
        {
            matrix.Add(vector);
        }

        var found = NearestNeighbourSearch.Search(matrix, vector, 5, excludedRow: 1);

        Assert.Equal([0, 2, 3, 4, 5], found.Select(n => n.Row));
    }

    [Fact]
    public void Search_QueryOfWrongDimension_Throws()
    {
        Assert.Throws<ArgumentException>(() => NearestNeighbourSearch.Search(new VectorMatrix(8), new float[9], 4));
    }

    internal static void AssertSameNeighbours(List<Neighbour> expected, List<Neighbour> actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Select(n => n.Row), actual.Select(n => n.Row));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.InRange(actual[i].Distance, expected[i].Distance - tolerance, expected[i].Distance + tolerance);
        }
    }
}
