using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

/// <summary>The reference the fast scan must agree with: every distance in double precision, a full sort, ties by row.</summary>
internal static class NaiveNearest
{
    public static List<Neighbour> Search(float[][] rows, float[] query, int top, int excludedRow = -1) =>
        rows.Select((row, index) => new Neighbour(index, (float)Math.Sqrt(row.Select((x, i) => (double)(query[i] - x) * (query[i] - x)).Sum())))
            .Where(n => n.Row != excludedRow)
            .OrderBy(n => n.Distance)
            .ThenBy(n => n.Row)
            .Take(top)
            .ToList();

    public static float[][] RandomUnitVectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => RandomUnitVector(random, dimension)).ToArray();
    }

    public static float[] RandomUnitVector(Random random, int dimension)
    {
        var vector = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var norm = (float)Math.Sqrt(vector.Sum(x => (double)x * x));
        return vector.Select(x => x / norm).ToArray();
    }

    public static VectorMatrix ToMatrix(float[][] rows, int dimension, VectorGeometry geometry = VectorGeometry.UnitLength)
    {
        var matrix = new VectorMatrix(dimension, geometry: geometry);
        foreach (var row in rows)
        {
            matrix.Add(row);
        }

        return matrix;
    }
}
