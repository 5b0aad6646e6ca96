using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Search;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Query;

/// <summary>
/// Warm query latency through the HTTP function classes over 10,000 x 512 vectors on Azurite, beside the
/// parts it is made of (the scan alone, ONNX Runtime inference alone) measured in the same run; then
/// throughput of 4 concurrent callers uploading photos against single-caller inference on all cores, with
/// ResNet18 and with VGG16 (the app's default), for the default sharing of the cores (all cores for a lone
/// inference, one core each under concurrency) and for a fixed one core per inference.
/// </summary>
internal static class QueryLatencyBenchmark
{
    private const int Callers = 4;

    public static async Task RunAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var photos = ProductPhotos.Load(quick ? 16 : 40);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var table = new ResultTable($"Warm queries through the function classes, {count:N0} x 512 on Azurite", "figure", "baseline");
            await MeasureColourCostAsync(azurite, count, table);
            foreach (var descriptor in new[] { "models/resnet18.json", await Vgg16Model.DescriptorFileAsync() })
            {
                double? inference = null;
                foreach (var intraOp in new[] { 0, 1 })
                {
                    await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?>
                    {
                        ["Model:Descriptor"] = descriptor,
                        ["Model:IntraOpThreads"] = intraOp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["Search:StalenessSeconds"] = "3600",
                    });
                    await app.Table.EnsureCreatedAsync();
                    var extractor = app.Services.GetRequiredService<FeatureExtractor>();
                    var model = extractor.Model.Id;
                    // Rows as the app now writes them: with colour when the descriptor declares it, so queries use the default weight.
                    var colour = extractor.Model.Colour is { } c ? new Storage.ColourColumns(c.Id, c.Dimension) : (Storage.ColourColumns?)null;
                    var ids = await ColdLoadBenchmark.WriteAsync(app.Table.Client, count, model, colour);
                    if (inference is null)
                    {
                        // Single-caller inference on all cores: the baseline for both settings.
                        if (descriptor == "models/resnet18.json")
                        {
                            await MeasureLatencyAsync(app, ids, photos, table);
                        }

                        inference = InferenceAlone.Rate(extractor, photos.Count * 3);
                    }

                    var label = intraOp == 0 ? "default: all cores alone, 1 core each under concurrency" : "1 core per inference always";
                    await MeasureThroughputAsync(app, photos, table, $"{model}, {label}", inference.Value);
                }
            }

            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task MeasureLatencyAsync(FunctionAppHarness app, List<string> ids, List<ProductPhoto> photos, ResultTable table)
    {
        var byId = app.Function<SimilarByImageId>();
        var byUpload = app.Function<SimilarByUpload>();
        var index = (await app.Cache.GetAsync(ColdLoadBenchmark.Category, CancellationToken.None))!;
        var extractor = app.Services.GetRequiredService<FeatureExtractor>();
        var random = new Random(5);

        var idTimes = await TimeAsync(1000, async _ => Ok(await byId.RunAsync(HttpRequests.Get("?top=4"), ColdLoadBenchmark.Category, ids[random.Next(ids.Count)], CancellationToken.None)));
        var scanTimes = await TimeAsync(1000, _ =>
        {
            var vector = index.GetVector(ids[random.Next(ids.Count)])!;
            index.Search(vector, new SimilarityQuery(4) { ColourWeight = (float)new SearchOptions().DefaultColourWeight });
            return Task.CompletedTask;
        });
        // Every photo once first, as the breakdown does: the first decodes of a size fault in the decoder's buffers.
        foreach (var photo in photos)
        {
            Ok(await byUpload.RunAsync(HttpRequests.Post(photo.Bytes), ColdLoadBenchmark.Category, CancellationToken.None));
        }

        var uploadTimes = await TimeAsync(photos.Count, async i => Ok(await byUpload.RunAsync(HttpRequests.Post(photos[i].Bytes), ColdLoadBenchmark.Category, CancellationToken.None)));
        var tensor = new float[extractor.Preprocessor.TensorLength];
        var inferTimes = await TimeAsync(photos.Count, _ =>
        {
            extractor.Inference.Infer(tensor);
            return Task.CompletedTask;
        });

        table.Add("by id p50 / scan alone p50", Percentile(idTimes, 50), Percentile(scanTimes, 50), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("by id p99 / scan alone p99", Percentile(idTimes, 99), Percentile(scanTimes, 99), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("by uploaded photo p50 / inference alone p50", Percentile(uploadTimes, 50), Percentile(inferTimes, 50), Unit.Milliseconds, RatioOf.FigureOverBaseline);
    }

    /// <summary>Only <see cref="MeasureColourCostAsync"/>: colour against the app before colour.</summary>
    public static async Task RunColourCostAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var table = new ResultTable($"Colour against the app before colour, {count:N0} x 512 on Azurite", "figure", "baseline");
            await MeasureColourCostAsync(azurite, count, table);
            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// By-id latency with colour at the default weight against the same catalogue at weight 0 (which runs the app's
    /// search as it was before colour over the same memory), query by query; then against the app before colour (the
    /// same descriptor without its histogram, rows without colour), and the scan alone, also over the same rows kept
    /// whole (CNN vector and colour block in one float32 row, the layout before the colour columns), in short rounds so
    /// that all see the same machine.
    /// </summary>
    private static async Task MeasureColourCostAsync(AzuriteFixture azurite, int count, ResultTable table)
    {
        var shapeOnly = ShapeOnlyDescriptor.Create("models/resnet18.json");
        var settings = (string descriptor) => new Dictionary<string, string?> { ["Model:Descriptor"] = descriptor, ["Search:StalenessSeconds"] = "3600" };
        await using var today = new FunctionAppHarness(azurite, settings(shapeOnly));
        await using var colour = new FunctionAppHarness(azurite, settings("models/resnet18.json"));
        var model = colour.Services.GetRequiredService<FeatureExtractor>().Model;
        await today.Table.EnsureCreatedAsync();
        await colour.Table.EnsureCreatedAsync();
        var todayIds = await ColdLoadBenchmark.WriteAsync(today.Table.Client, count, model.Id);
        var colourIds = await ColdLoadBenchmark.WriteAsync(colour.Table.Client, count, model.Id, new Storage.ColourColumns(model.Colour!.Id, model.Colour.Dimension));
        var index = (await colour.Cache.GetAsync(ColdLoadBenchmark.Category, CancellationToken.None))!;
        var defaultWeight = (float)new SearchOptions().DefaultColourWeight; // what the by-id queries get without `colour`
        if (index.WithoutColour > 0 || index.EffectiveColourWeight(defaultWeight) == 0)
        {
            throw new InvalidOperationException("The colour catalogue was loaded without colour: the benchmark would measure shape only.");
        }

        var todayIndex = (await today.Cache.GetAsync(ColdLoadBenchmark.Category, CancellationToken.None))!;
        var random = new Random(7);
        var todayTimes = new List<double>();
        var colourTimes = new List<double>();
        var todayScans = new List<double>();
        var colourScans = new List<double>();
        var shapeOnlyScans = new List<double>();
        var shapeOnlyTimes = new List<double>();
        var wholeRowScans = new List<double>();
        var (pairedColour, pairedShape, pairedColourScans, pairedShapeScans) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var wholeRows = new Vectors.VectorMatrix(index.GetVector(colourIds[0])!.Length, colourIds.Count);
        foreach (var id in colourIds)
        {
            wholeRows.Add(index.GetVector(id)!);
        }

        // Short rounds in a shuffled order, each warmed first: a 20 MB catalogue read by one query is evicted by the other
        // catalogue's next one, so queries in turn would measure whichever catalogue ran last, not the work asked for.
        var contenders = new (List<double> Times, Func<Task> Run)[]
        {
            (todayScans, () => Scan(todayIndex, todayIds, 0)),
            (colourScans, () => Scan(index, colourIds, defaultWeight)),
            (shapeOnlyScans, () => Scan(index, colourIds, 0)),
            (wholeRowScans, () => ScanWholeRows(defaultWeight)),
            (todayTimes, () => ByRandomId(today, todayIds, "?top=4")),
            (colourTimes, () => ByRandomId(colour, colourIds, "?top=4")),
            (shapeOnlyTimes, () => ByRandomId(colour, colourIds, "?top=4&colour=0")),
        };
        for (var round = 0; round < 12; round++)
        {
            foreach (var (times, run) in contenders.OrderBy(_ => random.Next()))
            {
                for (var i = -5; i < 100; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await run();
                    if (i >= 0)
                    {
                        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }

            // The colour cost alone: the same catalogue, hence the same memory, with and without colour, query by query
            // on the same image in alternating order. Two catalogues of identical rows scan up to a third apart on this
            // VM (where their pages fall in the cache), which the rows against the app before colour cannot tell apart
            // from the work asked for; the control row "at weight 0 / before colour" shows how far.
            for (var i = -5; i < 100; i++)
            {
                var id = colourIds[random.Next(colourIds.Count)];
                foreach (var withColour in (i & 1) == 0 ? [true, false] : new[] { false, true })
                {
                    var started = Stopwatch.GetTimestamp();
                    await ById(colour, id, withColour ? "?top=4" : "?top=4&colour=0");
                    Record(withColour ? pairedColour : pairedShape, started, i);
                    started = Stopwatch.GetTimestamp();
                    index.Search(index.GetVector(id)!, new SimilarityQuery(4) { ColourWeight = withColour ? defaultWeight : 0 });
                    Record(withColour ? pairedColourScans : pairedShapeScans, started, i);
                }
            }
        }

        static void Record(List<double> times, long started, int i)
        {
            if (i >= 0)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        Task Scan(CategoryIndex category, List<string> ids, float weight)
        {
            category.Search(category.GetVector(ids[random.Next(ids.Count)])!, new SimilarityQuery(4) { ColourWeight = weight });
            return Task.CompletedTask;
        }

        // As CategoryIndex scans for 4 products: 4 x 4 + 8 candidates.
        Task ScanWholeRows(float weight)
        {
            var query = new float[wholeRows.Dimension];
            wholeRows.CopyRow(random.Next(wholeRows.Count), query);
            Vectors.NearestNeighbourSearch.Search(new Vectors.ColourWeightedRows(wholeRows, query, model.Colour.Dimension, weight), 24);
            return Task.CompletedTask;
        }

        Task ByRandomId(FunctionAppHarness app, List<string> ids, string query) => ById(app, ids[random.Next(ids.Count)], query);

        static async Task ById(FunctionAppHarness app, string id, string query) => Ok(await app.Function<SimilarByImageId>().RunAsync(
            HttpRequests.Get(query), ColdLoadBenchmark.Category, id, CancellationToken.None));

        void Ratio(string label, List<double> figure, List<double> baseline, int percentile = 50) =>
            table.Add(label, Percentile(figure, percentile), Percentile(baseline, percentile), Unit.Milliseconds, RatioOf.FigureOverBaseline);

        Ratio($"by id p50, colour {model.Colour.Dimension}-d at the default weight / the same catalogue at weight 0, query by query (goal <= 1.1x)", pairedColour, pairedShape);
        Ratio("scan alone p50, colour at the default weight / the same catalogue at weight 0, query by query", pairedColourScans, pairedShapeScans);
        Ratio("by id p99, colour at the default weight / the same catalogue at weight 0, query by query", pairedColour, pairedShape, 99);
        Ratio($"by id p50, colour {model.Colour.Dimension}-d at the default weight / before colour", colourTimes, todayTimes);
        Ratio("by id p50, the colour catalogue at weight 0 / before colour (the same work: a control)", shapeOnlyTimes, todayTimes);
        Ratio("scan alone p50, colour at the default weight / before colour", colourScans, todayScans);
        Ratio("scan alone p50, the colour catalogue at weight 0 / before colour", shapeOnlyScans, todayScans);
        Ratio("scan alone p50, colour at the default weight over whole float32 rows (the layout before colour columns) / before colour", wholeRowScans, todayScans);
        Ratio("by id p99, colour at the default weight / before colour", colourTimes, todayTimes, 99);
        File.Delete(shapeOnly);
    }

    private static async Task MeasureThroughputAsync(FunctionAppHarness app, List<ProductPhoto> photos, ResultTable table, string label, double inference)
    {
        var byUpload = app.Function<SimilarByUpload>();
        await app.Cache.GetAsync(ColdLoadBenchmark.Category, CancellationToken.None);
        // Warm-up, concurrent so that the single-threaded session (created on first concurrent use) exists.
        await ConcurrentCallers.RunAsync(
            Callers, Callers, async i => Ok(await byUpload.RunAsync(HttpRequests.Post(photos[i].Bytes), ColdLoadBenchmark.Category, CancellationToken.None)));
        // Each photo three times: a second of work is too short to settle on a shared VM.
        var uploadsToRun = photos.Count * 3;
        var started = Stopwatch.GetTimestamp();
        await ConcurrentCallers.RunAsync(
            Callers, uploadsToRun, async i => Ok(await byUpload.RunAsync(HttpRequests.Post(photos[i % photos.Count].Bytes), ColdLoadBenchmark.Category, CancellationToken.None)));
        var uploads = uploadsToRun / Stopwatch.GetElapsedTime(started).TotalSeconds;
        table.Add($"{Callers} callers uploading / 1-caller inference on all cores ({label}), per s (goal >= 0.9x)", uploads, inference, Unit.PerSecond, RatioOf.FigureOverBaseline);
    }

    private static async Task<List<double>> TimeAsync(int count, Func<int, Task> work)
    {
        await work(0); // warm-up
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await work(i);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    private static void Ok(IActionResult result)
    {
        if (result is not OkObjectResult)
        {
            throw new InvalidOperationException($"A query did not answer 200: {result}.");
        }
    }
}
