using System.Numerics.Tensors;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

/// <summary>
/// A search restricted to a row mask returns exactly the nearest N among the allowed rows, by each way of reading the
/// matrix and in every row format, against a brute-force ranking in double precision.
/// </summary>
public sealed class MaskedSearchTests
{
    private const int Rows = 1500; // not a multiple of 64: the last block is partial
    private const int Shape = 64;
    private const int Colour = 216;
    private const double Tolerance = 2e-5;

    public static TheoryData<string> Formats => ["float32", "float16", "int8", "colour-0", "colour-0.35"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void MaskedSearchIsTheBruteForceRankingOfTheAllowedRows(string format)
    {
        var random = new Random(format.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        var source = ClusteredRows(random, Rows);
        var (matrix, stored, weight) = Build(format, source);
        foreach (var fraction in new[] { 0.0, -1.0, 0.01, 0.10, 0.50, 1.0 })
        {
            var mask = RandomMask(random, fraction);
            var queryRow = random.Next(Rows);
            var query = stored[queryRow];
            var (rows, scanQuery) = Searchable(matrix, query, weight);
            var truth = stored.Select(row => Distance(query, row, weight)).ToArray();
            foreach (var excluded in new[] { -1, queryRow, mask.Count > 0 ? FirstAllowed(mask) : 0 })
            {
                foreach (var top in new[] { 1, 4, 20 })
                {
                    foreach (var scan in new[] { MaskedScan.Auto, MaskedScan.Blocks, MaskedScan.Direct })
                    {
                        var found = NearestNeighbourSearch.Search(rows, scanQuery, top, excluded, mask, scan);
                        AssertBruteForce(truth, mask, excluded, top, found, $"{format}, {mask.Count} rows allowed, excluded {excluded}, top {top}, {scan}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void PublicEntryPointsTakeTheMask(string format)
    {
        var random = new Random(7);
        var (matrix, stored, weight) = Build(format, ClusteredRows(random, 300));
        var mask = RowMask.FromPredicate(300, row => row % 3 == 0);
        var truth = stored.Select(row => Distance(stored[5], row, weight)).ToArray();

        var found = format.StartsWith("colour", StringComparison.Ordinal)
            ? NearestNeighbourSearch.Search(new ColourWeightedRows(matrix, stored[5], Colour, weight), 10, excludedRow: 6, allowed: mask)
            : NearestNeighbourSearch.Search(matrix, stored[5], 10, excludedRow: 6, allowed: mask);

        AssertBruteForce(truth, mask, 6, 10, found, format);
    }

    [Fact]
    public void ANullMaskIsTheUnmaskedSearch()
    {
        var rows = NaiveNearest.RandomUnitVectors(500, 32, seed: 3);
        var matrix = NaiveNearest.ToMatrix(rows, 32);

        Assert.Equal(NearestNeighbourSearch.Search(matrix, rows[4], 10, excludedRow: 4), NearestNeighbourSearch.Search(matrix, rows[4], 10, excludedRow: 4, allowed: null));
        Assert.Equal(
            NearestNeighbourSearch.Search(matrix, rows[4], 10, excludedRow: 4),
            NearestNeighbourSearch.Search(matrix, rows[4], 10, excludedRow: 4, allowed: RowMask.FromPredicate(500, _ => true)));
    }

    [Fact]
    public void OnlyTheExcludedRowAllowedFindsNothing()
    {
        var rows = NaiveNearest.RandomUnitVectors(200, 16, seed: 4);
        var matrix = NaiveNearest.ToMatrix(rows, 16);

        foreach (var scan in new[] { MaskedScan.Auto, MaskedScan.Blocks, MaskedScan.Direct })
        {
            Assert.Empty(NearestNeighbourSearch.Search(matrix, rows[70], 4, 70, RowMask.FromRows(200, [70]), scan));
            Assert.Equal([new Neighbour(70, 0)], NearestNeighbourSearch.Search(matrix, rows[70], 4, -1, RowMask.FromRows(200, [70]), scan));
        }
    }

    [Fact]
    public void SplitOverCoresTheMaskedScanAgreesWithBruteForce()
    {
        // 2,000 x 512 is above the parallel threshold: slices of whole blocks, each reading its own words of the mask.
        var rows = NaiveNearest.RandomUnitVectors(2000, 512, seed: 8);
        var matrix = NaiveNearest.ToMatrix(rows, 512);
        var mask = RowMask.FromPredicate(2000, row => row % 7 != 0 && row is < 300 or > 1100);
        var truth = rows.Select(row => Distance(rows[10], row, 0, shapeDimension: 512)).ToArray();

        AssertBruteForce(truth, mask, 10, 20, NearestNeighbourSearch.Search(matrix, rows[10], 20, excludedRow: 10, allowed: mask), "parallel");
        AssertBruteForce(truth, mask, 10, 20, NearestNeighbourSearch.Search(matrix, rows[10], 20, excludedRow: 10, maxParallelism: 1, allowed: mask), "one core");
    }

    [Fact]
    public void AMaskOfAnotherRowCountIsRefused()
    {
        var matrix = NaiveNearest.ToMatrix(NaiveNearest.RandomUnitVectors(100, 8, seed: 9), 8);

        Assert.Throws<ArgumentException>(() => NearestNeighbourSearch.Search(matrix, new float[8], 4, allowed: RowMask.None(99)));
    }

    private static void AssertBruteForce(double[] truth, RowMask mask, int excluded, int top, List<Neighbour> found, string because)
    {
        var expected = Enumerable.Range(0, truth.Length)
            .Where(row => mask.Contains(row) && row != excluded)
            .OrderBy(row => truth[row]).ThenBy(row => row)
            .Take(top).ToList();
        Assert.True(expected.Count == found.Count, $"{because}: {found.Count} found, {expected.Count} expected");
        Assert.Equal(found.Count, found.Select(n => n.Row).Distinct().Count());
        for (var i = 0; i < expected.Count; i++)
        {
            var row = found[i].Row;
            Assert.True(mask.Contains(row) && row != excluded, $"{because}: row {row} is not allowed");

            // Rows at one distance (within float rounding) may come in either order; anything else must be the same row.
            Assert.True(Math.Abs(truth[row] - truth[expected[i]]) <= Tolerance, $"{because}: #{i} is row {row} at {truth[row]}, expected row {expected[i]} at {truth[expected[i]]}");
            Assert.True(Math.Abs(found[i].Distance - truth[expected[i]]) <= Tolerance, $"{because}: #{i} distance {found[i].Distance}, expected {truth[expected[i]]}");
        }
    }

    // A mask of `fraction` of the rows at random; 0: none, -1: a single row.
    private static RowMask RandomMask(Random random, double fraction)
    {
        var count = fraction < 0 ? 1 : (int)Math.Round(fraction * Rows);
        return RowMask.FromRows(Rows, Enumerable.Range(0, Rows).OrderBy(_ => random.Next()).Take(count));
    }

    private static int FirstAllowed(RowMask mask) => Enumerable.Range(0, mask.Rows).First(mask.Contains);

    // The stored rows as the format keeps them (float16 rounded), the matrix, and the colour weight (0 without colour).
    private static (IEditableRows Matrix, float[][] Stored, float Weight) Build(string format, float[][] source)
    {
        IEditableRows matrix = format switch
        {
            "float32" => new VectorMatrix(Shape),
            "float16" => new Float16VectorMatrix(Shape),
            "int8" => new Int8PrefilteredMatrix(new VectorMatrix(Shape)),
            _ => new ShapeAndColourMatrix(new VectorMatrix(Shape), Colour),
        };
        var colour = matrix is ShapeAndColourMatrix;
        var random = new Random(11);
        foreach (var row in source)
        {
            matrix.Add(colour ? [.. row, .. Histogram(random)] : row);
        }

        var stored = Enumerable.Range(0, matrix.Count).Select(row =>
        {
            var values = new float[matrix.Dimension];
            matrix.CopyRow(row, values);
            return values;
        }).ToArray();
        return (matrix, stored, format == "colour-0.35" ? 0.35f : 0f);
    }

    private static (IScannableRows Rows, float[] ScanQuery) Searchable(IEditableRows matrix, float[] query, float weight)
    {
        if (matrix is not ShapeAndColourMatrix)
        {
            return (matrix, query);
        }

        var weighted = new ColourWeightedRows(matrix, query, Colour, weight);
        return (weighted, weighted.ScanQuery);
    }

    // sqrt((d_shape^2 + w^2 d_colour^2) / (1 + w^2)) in double; rows without colour are all shape.
    private static double Distance(float[] query, float[] row, float weight, int shapeDimension = Shape)
    {
        var (shape, colour) = (0.0, 0.0);
        for (var i = 0; i < row.Length; i++)
        {
            var d = (double)query[i] - row[i];
            if (i < shapeDimension)
            {
                shape += d * d;
            }
            else
            {
                colour += d * d;
            }
        }

        var w2 = (double)weight * weight;
        return Math.Sqrt((shape + (w2 * colour)) / (1 + w2));
    }

    // Rows around a few centres, as photos of a catalogue fall into kinds of product: each has near neighbours.
    private static float[][] ClusteredRows(Random random, int count)
    {
        var centres = Enumerable.Range(0, 30).Select(_ => NaiveNearest.RandomUnitVector(random, Shape)).ToArray();
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var row = NaiveNearest.RandomUnitVector(random, Shape);
            TensorPrimitives.MultiplyAdd(centres[random.Next(centres.Length)], 3f, row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
            return row;
        })];
    }

    // A square-rooted colour histogram: non-negative, unit length, mostly zeros.
    private static float[] Histogram(Random random)
    {
        var h = new float[Colour];
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            h[random.Next(Colour)] = (float)random.NextDouble() + 1e-3f;
        }

        TensorPrimitives.Divide(h, TensorPrimitives.Norm(h), h);
        return h;
    }
}
