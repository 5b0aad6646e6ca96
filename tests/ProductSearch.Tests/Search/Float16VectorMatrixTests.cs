using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class Float16VectorMatrixTests
{
    [Fact]
    public void BytesPerVector_IsHalfOfFloat32()
    {
        Assert.Equal(new VectorMatrix(512).BytesPerVector / 2, new Float16VectorMatrix(512).BytesPerVector);
    }

    [Fact]
    public void Search_AgreesWithNaiveReferenceOnTheStoredValues()
    {
        // Exact on what is stored: the reference runs on the float16-rounded rows.
        var rows = NaiveNearest.RandomUnitVectors(2500, 512, seed: 12);
        var matrix = Float16VectorMatrix.From(NaiveNearest.ToMatrix(rows, 512));
        var stored = Enumerable.Range(0, matrix.Count).Select(matrix.GetRow).ToArray();
        var query = NaiveNearest.RandomUnitVector(new Random(13), 512);

        var found = NearestNeighbourSearch.Search(matrix, query, 10, excludedRow: 7);

        NearestNeighbourSearchTests.AssertSameNeighbours(NaiveNearest.Search(stored, query, 10, excludedRow: 7), found);
    }

    [Fact]
    public void GetRow_ReturnsVectorWithinFloat16Rounding()
    {
        var vector = NaiveNearest.RandomUnitVector(new Random(14), 100);
        var matrix = new Float16VectorMatrix(100);
        matrix.Add(vector);

        var row = matrix.GetRow(0);

        Assert.All(Enumerable.Range(0, 100), i => Assert.InRange(row[i], vector[i] - 1e-3f, vector[i] + 1e-3f));
    }

    [Fact]
    public void RemoveSwapLast_MovesLastRowIntoTheGap()
    {
        var rows = NaiveNearest.RandomUnitVectors(3, 8, seed: 15);
        var matrix = new Float16VectorMatrix(8);
        foreach (var row in rows)
        {
            matrix.Add(row);
        }

        var moved = matrix.RemoveSwapLast(0);

        Assert.Equal(2, moved);
        Assert.Equal(2, matrix.Count);
        Assert.Equal(Float16VectorMatrix.From(NaiveNearest.ToMatrix([rows[2]], 8)).GetRow(0), matrix.GetRow(0));
    }

    [Fact]
    public void Replace_OverwritesTheRow()
    {
        var rows = NaiveNearest.RandomUnitVectors(2, 8, seed: 16);
        var matrix = new Float16VectorMatrix(8);
        matrix.Add(rows[0]);

        matrix.Replace(0, rows[1]);

        Assert.Equal(0, NearestNeighbourSearch.Search(matrix, rows[1], 1)[0].Row);
        Assert.InRange(NearestNeighbourSearch.Search(matrix, rows[1], 1)[0].Distance, 0f, 1e-3f);
    }
}
