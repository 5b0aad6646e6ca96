using System.Diagnostics;
using System.Globalization;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Benchmarks.Scan;
using ProductSearch.Search;
using ProductSearch.Search.Vectors;
using ProductSearch.Storage;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Filter;

/// <summary>
/// "More like this" restricted to a filter's rows against the same query unfiltered, in one run: a category of 10,000
/// images in the default model's shape (VGG16, 512-d, with its 216-bin colour histogram, at the default colour weight)
/// and the default row format (float32), top 4 grouped by product, masks of 50% and 1% of the rows at random. Then
/// where a masked search stops scanning blocks and measures only its rows: both ways at densities around the crossover,
/// in each row format.
/// </summary>
internal static class FilteredSearchBenchmark
{
    private const int ShapeDimension = 512;
    private const int ColourDimension = 216;
    private const string ModelId = "vgg16-imagenet-avg";

    public static void Run(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var queries = quick ? 200 : 1_000;
        var weight = (float)new SearchOptions().DefaultColourWeight;
        var rows = Rows(count);
        MeasureQueries(rows, queries, weight);
        MeasureCrossover(rows, quick ? 50 : 300, weight);
    }

    private static void MeasureQueries(List<ProductVector> rows, int queries, float weight)
    {
        using var index = new CategoryIndex(ColdLoadBenchmark.Category, ModelId, default, new ColourColumns("rgb-6x6x6", ColourDimension));
        foreach (var row in rows)
        {
            index.Apply(row.ImageId, row);
        }

        if (index.EffectiveColourWeight(weight) != weight)
        {
            throw new InvalidOperationException("The category was loaded without colour: the benchmark would measure shape only.");
        }

        var random = new Random(29);
        var half = RandomMask(random, rows.Count, 0.5);
        var onePercent = RandomMask(random, rows.Count, 0.01);
        var request = new SimilarityQuery(4) { ColourWeight = weight };
        var variants = new (string Name, Func<CategoryRows, RowMask?> Mask)[] { ("unfiltered", _ => null), ("50%", _ => half), ("1%", _ => onePercent) };
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>(queries));

        // Rounds of one query each way, the same image for all three, so that all see the same machine.
        for (var i = -queries / 10; i < queries; i++)
        {
            var subject = QuerySubject.Indexed(rows[random.Next(rows.Count)].ImageId);
            foreach (var (name, mask) in variants)
            {
                var start = Stopwatch.GetTimestamp();
                var answer = index.AnswerAmong(subject, request, QueryExpander.None, mask)!;
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (answer.Results.Count != 4)
                {
                    throw new InvalidOperationException($"{name}: {answer.Results.Count} results.");
                }

                if (i >= 0)
                {
                    times[name].Add(elapsed);
                }
            }
        }

        // What the wiring adds per query if it builds the mask from per-product flags (one image in two, random products).
        var productOfRow = rows.Select((_, row) => row / 2).ToArray();
        var matches = Enumerable.Range(0, (rows.Count + 1) / 2).Select(_ => random.Next(2) == 0).ToArray();
        var build = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = RowMask.FromProducts(productOfRow, matches);
            build.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var table = new ResultTable(
            $"Filtered \"more like this\", {rows.Count:N0} images x {ShapeDimension} + {ColourDimension} colour, float32, colour weight {weight.ToString(CultureInfo.InvariantCulture)}, top 4 by product, {queries:N0} queries each",
            "filtered",
            "unfiltered");
        foreach (var percentile in new[] { 50, 95 })
        {
            var unfiltered = Percentile(times["unfiltered"], percentile);
            table.Add($"mask of 50% of rows, p{percentile} (goal <= 1.2x)", Percentile(times["50%"], percentile), unfiltered, Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add($"mask of 1% of rows, p{percentile} (goal <= 0.3x)", Percentile(times["1%"], percentile), unfiltered, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        table.Add("mask built from per-product flags, p50", Percentile(build, 50), Percentile(times["unfiltered"], 50), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Print();
    }

    // Block scan against row-by-row distances, at densities around where they cost the same, in each row format.
    private static void MeasureCrossover(List<ProductVector> rows, int queries, float weight)
    {
        var table = new ResultTable($"Masked search, row by row against the block scan, {rows.Count:N0} images, top 24 (grouping's first ask for 4), {queries} queries each", "row by row", "blocks");
        var random = new Random(30);
        foreach (var format in new[] { new RowFormat(), new RowFormat(Float16: true), new RowFormat(Int8Scan: true) })
        {
            var matrix = format.Create(ShapeDimension + ColourDimension, ColourDimension);
            foreach (var row in rows)
            {
                matrix.Add([.. row.Vector, .. row.Colour!]);
            }

            var name = format.Int8Scan ? "int8 scan" : format.Float16 ? "float16" : "float32";
            foreach (var density in new[] { 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3 })
            {
                var mask = RandomMask(random, rows.Count, density);
                var (direct, blocks) = (new List<double>(queries), new List<double>(queries));
                var query = new float[matrix.Dimension];
                for (var i = 0; i < queries; i++)
                {
                    matrix.CopyRow(random.Next(rows.Count), query);
                    var weighted = new ColourWeightedRows(matrix, query, ColourDimension, weight);
                    direct.Add(Time(() => NearestNeighbourSearch.Search(weighted, weighted.ScanQuery, 24, -1, mask, MaskedScan.Direct)));
                    blocks.Add(Time(() => NearestNeighbourSearch.Search(weighted, weighted.ScanQuery, 24, -1, mask, MaskedScan.Blocks)));
                }

                table.Add($"{name}, {density:P0} of rows, p50", Median(direct), Median(blocks), Unit.Milliseconds, RatioOf.FigureOverBaseline);
            }
        }

        table.Print();
    }

    private static double Time(Action search)
    {
        var start = Stopwatch.GetTimestamp();
        search();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    // Two images per product, as a catalogue with a few photos of each product has; random shape and colour.
    private static List<ProductVector> Rows(int count)
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var id = "img-" + i.ToString(CultureInfo.InvariantCulture);
            return new ProductVector(
                ColdLoadBenchmark.Category, id, "product-" + (i / 2).ToString(CultureInfo.InvariantCulture), "https://example.blob.core.windows.net/product-images/chairs/" + id,
                ModelId, "\"0x8DC\"", DateTimeOffset.UnixEpoch, UnitVectors.Create(ShapeDimension, seed: i), "rgb-6x6x6", ColdLoadBenchmark.RandomHistogram(random, ColourDimension));
        })];
    }

    private static RowMask RandomMask(Random random, int rows, double fraction) =>
        RowMask.FromRows(rows, Enumerable.Range(0, rows).OrderBy(_ => random.Next()).Take((int)Math.Round(fraction * rows)));
}
