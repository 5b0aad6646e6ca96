using System.Diagnostics;
using System.Globalization;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Benchmarks.Scan;
using ProductSearch.Products;
using ProductSearch.Search;
using ProductSearch.Search.Filtering;
using ProductSearch.Storage;
using ProductSearch.Vectors;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Filter;

/// <summary>
/// "More like this" restricted to a filter's rows against the same query unfiltered, in one run: a category of 10,000
/// images in the default model's shape (VGG16, 512-d, with its 216-bin colour histogram, at the default colour weight)
/// and the default row format (float32), top 4 grouped by product, filters matching 50% and 1% of the products. Then
/// where a masked search stops scanning blocks and measures only its rows: both ways at densities around the crossover,
/// in each row format.
/// </summary>
internal static class FilteredSearchBenchmark
{
    private const int ShapeDimension = 512;
    private const int ColourDimension = 216;
    private const string ModelId = "vgg16-imagenet-avg";
    private static readonly string[] Colours = ["red", "blue", "green", "black", "white"];

    public static void Run(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var queries = quick ? 200 : 1_000;
        var weight = (float)new SearchOptions().DefaultColourWeight;
        var rows = Rows(count);
        MeasureQueries(rows, queries, weight);
        MeasureCrossover(rows, quick ? 50 : 300, weight);
    }

    // Through the path the endpoints run (CategoryIndex.Answer with a parsed filter): a category with no attributes, as
    // today, and the same category with four labels on every product, unfiltered and under filters of half and of 1% of
    // its products, kept per version as a storefront's repeated filter is, and new to the cache on every query.
    private static void MeasureQueries(List<ProductVector> rows, int queries, float weight)
    {
        using var plain = Index(rows, weight);
        using var labelled = Index(rows, weight);
        var random = new Random(29);
        foreach (var product in rows.Select(r => r.ProductId).Distinct())
        {
            labelled.ApplyProduct(product, new ProductAttributes
            {
                Labels = new Dictionary<string, string>
                {
                    ["half"] = random.Next(2) == 0 ? "yes" : "no",
                    ["rare"] = random.Next(100) == 0 ? "yes" : "no",
                    ["instock"] = "true",
                    ["color"] = Colours[random.Next(Colours.Length)],
                },
            });
        }

        var request = new SimilarityQuery(4) { ColourWeight = weight };
        var half = request with { Filter = ProductFilter.Parse("half = yes") };
        var rare = request with { Filter = ProductFilter.Parse("rare = yes") };
        var variants = new (string Name, CategoryIndex Index, Func<int, SimilarityQuery> Request)[]
        {
            ("today", plain, _ => request),
            ("unfiltered", labelled, _ => request),
            ("50%", labelled, _ => half),
            ("1%", labelled, _ => rare),
            // A text the cache has not kept (it keeps 64 per version): the filter is evaluated over every product.
            ("50%, new text", labelled, i => request with { Filter = ProductFilter.Parse($"half = yes OR half = v{i}") }),
        };
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>(queries));

        // Rounds of one query each way, the same image for all, so that all see the same machine; each round starts with
        // the next variant, since the first to ask for an image pays for bringing it into cache.
        for (var i = -queries / 10; i < queries; i++)
        {
            var subject = QuerySubject.Indexed(rows[random.Next(rows.Count)].ImageId);
            for (var v = 0; v < variants.Length; v++)
            {
                var (name, index, make) = variants[(i + queries + v) % variants.Length];
                var asked = make(i + queries);
                var start = Stopwatch.GetTimestamp();
                var answer = index.Answer(subject, asked, QueryExpander.None)!;
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

        var products = rows.Count / 2;
        var table = new ResultTable(
            $"Filtered \"more like this\" through CategoryIndex.Answer, {rows.Count:N0} images of {products:N0} products x {ShapeDimension} + {ColourDimension} colour, float32, colour weight {weight.ToString(CultureInfo.InvariantCulture)}, top 4 by product, {queries:N0} queries each",
            "figure",
            "baseline");
        foreach (var percentile in new[] { 50, 95 })
        {
            var unfiltered = Percentile(times["unfiltered"], percentile);
            table.Add($"unfiltered, 4 labels per product / no attributes (today), p{percentile} (goal <= 1.05x)", unfiltered, Percentile(times["today"], percentile), Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add($"filter matching 50% of products / unfiltered, p{percentile} (goal <= 1.2x)", Percentile(times["50%"], percentile), unfiltered, Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add($"filter matching 1% of products / unfiltered, p{percentile} (goal <= 0.3x)", Percentile(times["1%"], percentile), unfiltered, Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add($"50%, a filter text new to the cache / unfiltered, p{percentile}", Percentile(times["50%, new text"], percentile), unfiltered, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        table.Print();
    }

    private static CategoryIndex Index(List<ProductVector> rows, float weight)
    {
        var index = new CategoryIndex(ColdLoadBenchmark.Category, ModelId, default, new ColourColumns("rgb-6x6x6", ColourDimension));
        foreach (var row in rows)
        {
            index.Apply(row.ImageId, row);
        }

        if (index.EffectiveColourWeight(weight) != weight)
        {
            throw new InvalidOperationException("The category was loaded without colour: the benchmark would measure shape only.");
        }

        return index;
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
