using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class Int8PrefilteredMatrixTests
{
    [Fact]
    public void Search_FindsTheExactNeighboursOfTheRowsUnderneath()
    {
        // int8 only picks candidates: the answer (rows and distances) must be the float32 one, query after query.
        var rows = NaiveNearest.RandomUnitVectors(3000, 512, seed: 22);
        var matrix = new Int8PrefilteredMatrix(NaiveNearest.ToMatrix(rows, 512));
        var random = new Random(23);

        for (var i = 0; i < 20; i++)
        {
            // Queries near a row, as a storefront's are: close neighbours crowd together.
            var near = rows[random.Next(rows.Length)].Select(x => x + (float)(random.NextDouble() * 0.04)).ToArray();
            var query = NaiveNearest.RandomUnitVector(new Random(i), 512).Zip(near, (a, b) => a * 0.02f + b).ToArray();
            var norm = MathF.Sqrt(query.Sum(x => x * x));
            query = query.Select(x => x / norm).ToArray();

            NearestNeighbourSearchTests.AssertSameNeighbours(NaiveNearest.Search(rows, query, 10, excludedRow: 5), NearestNeighbourSearch.Search(matrix, query, 10, excludedRow: 5));
        }
    }

    [Fact]
    public void Search_OverFloat16Rows_AgreesWithFloat16Alone()
    {
        var rows = NaiveNearest.RandomUnitVectors(2000, 200, seed: 24);
        var float16 = Float16VectorMatrix.From(NaiveNearest.ToMatrix(rows, 200));
        var matrix = new Int8PrefilteredMatrix(Float16VectorMatrix.From(NaiveNearest.ToMatrix(rows, 200)));
        var query = NaiveNearest.RandomUnitVector(new Random(25), 200);

        Assert.Equal(NearestNeighbourSearch.Search(float16, query, 8), NearestNeighbourSearch.Search(matrix, query, 8));
        Assert.Equal(float16.AllocatedBytes + (2000 * 224) + (2000 * sizeof(float)), matrix.AllocatedBytes);
    }

    [Fact]
    public void AddReplaceRemove_KeepCodesInStepWithRows()
    {
        var rows = NaiveNearest.RandomUnitVectors(40, 64, seed: 26);
        var matrix = new Int8PrefilteredMatrix(new VectorMatrix(64));
        var expected = new List<float[]>();
        foreach (var row in rows[..30])
        {
            matrix.Add(row);
            expected.Add(row);
        }

        matrix.Replace(4, rows[30]);
        expected[4] = rows[30];
        Assert.Equal(29, matrix.RemoveSwapLast(7));
        expected[7] = expected[29];
        expected.RemoveAt(29);
        matrix.Add(rows[31]);
        expected.Add(rows[31]);

        // Each row is its own nearest neighbour at distance 0 only if its codes moved and changed with it.
        for (var row = 0; row < expected.Count; row++)
        {
            var found = NearestNeighbourSearch.Search(matrix, expected[row], 1)[0];
            Assert.Equal(row, found.Row);
            Assert.InRange(found.Distance, 0f, 1e-3f);
        }

        NearestNeighbourSearchTests.AssertSameNeighbours(NaiveNearest.Search([.. expected], rows[35], 5), NearestNeighbourSearch.Search(matrix, rows[35], 5));
    }

    [Fact]
    public void Search_NonUnitVectors_RanksByEuclideanDistance()
    {
        var random = new Random(27);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 24).Select(_ => (float)(random.NextDouble() * 10)).ToArray()).ToArray();
        var query = rows[17].Select(x => x + 0.5f).ToArray();

        var found = NearestNeighbourSearch.Search(new Int8PrefilteredMatrix(NaiveNearest.ToMatrix(rows, 24, VectorGeometry.Euclidean)), query, 5);

        NearestNeighbourSearchTests.AssertSameNeighbours(NaiveNearest.Search(rows, query, 5), found);
    }
}
