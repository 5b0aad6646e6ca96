using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Storage;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Breakdown;

/// <summary>
/// A worker's services started from nothing (the same <c>AddProductSearch</c> registration as the function app's
/// Program, hosted services started as the host starts them), stage by stage to the first by-id and the first
/// by-photo answer, beside the two independent costs measured alone on fresh containers: the model's session
/// creation and the category load. The order before sessions were created at start-up (sessions first, then the
/// category) and the previous start-up policy (sessions created and run once) are timed in the same rounds. Each figure is the median of the rounds.
/// </summary>
internal static class ColdStartBenchmark
{
    private const string ResNet18 = "models/resnet18.json";
    private const string PatchedLabel = "resnet18-l3l4 (inner tensors exposed in memory)";

    public static async Task RunAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var rounds = quick ? 3 : 9;
        var photo = ProductPhotos.Load(1)[0].Bytes;
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            foreach (var descriptor in new[] { ResNet18, await Vgg16Model.DescriptorFileAsync() })
            {
                var settings = new Dictionary<string, string?>
                {
                    ["ProductStorage"] = azurite.ConnectionString,
                    ["Storage:ImagesContainer"] = "coldstart",
                    ["Storage:VectorTable"] = "coldstart" + Guid.NewGuid().ToString("N")[..8],
                    ["Model:Descriptor"] = descriptor,
                };
                string modelId;
                List<string> ids;
                await using (var setup = Start(settings))
                {
                    var model = setup.GetRequiredService<ModelDescriptor>();
                    modelId = model.Id;
                    var table = setup.GetRequiredService<ProductVectorTable>();
                    await table.EnsureCreatedAsync();
                    var colour = model.Colour is { } c ? new ColourColumns(c.Id, c.Dimension) : (ColourColumns?)null;
                    ids = await ColdLoadBenchmark.WriteAsync(table.Client, count, model.Id, colour);
                }

                var times = new Dictionary<string, List<double>>();
                void Add(string name, double ms) => (times.TryGetValue(name, out var l) ? l : times[name] = []).Add(ms);
                for (var round = 0; round < rounds; round++)
                {
                    await using (var services = Start(settings))
                    {
                        var t = Stopwatch.GetTimestamp();
                        var extractor = services.GetRequiredService<FeatureExtractor>();
                        Add("session creation alone", Elapsed(t));
                        var blank = new float[extractor.Preprocessor.TensorLength];
                        extractor.Inference.Infer(blank);
                        Add("session creation + the first run alone", Elapsed(t));
                        t = Stopwatch.GetTimestamp();
                        extractor.Inference.Infer(blank);
                        Add("a second run alone (what the first run costs once warm)", Elapsed(t));
                    }

                    if (descriptor == ResNet18)
                    {
                        await TimePatchedSessionAsync(settings, Add);
                    }

                    await using (var services = Start(settings))
                    {
                        var t = Stopwatch.GetTimestamp();
                        _ = await services.GetRequiredService<Search.CategoryVectorCache>().GetAsync(ColdLoadBenchmark.Category, CancellationToken.None);
                        Add("category load alone", Elapsed(t));
                    }

                    await using (var services = Start(settings))
                    {
                        var t = Stopwatch.GetTimestamp();
                        foreach (var hosted in services.GetServices<IHostedService>())
                        {
                            await hosted.StartAsync(CancellationToken.None);
                        }

                        Add("hosted services started (session creation begun)", Elapsed(t));
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByImageId>(services).RunAsync(
                            HttpRequests.Get("?top=4"), ColdLoadBenchmark.Category, ids[round], CancellationToken.None));
                        Add("first by-id answer", Elapsed(t));
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByUpload>(services).RunAsync(HttpRequests.Post(photo), ColdLoadBenchmark.Category, CancellationToken.None));
                        Add("first by-photo answer", Elapsed(t));
                    }

                    await using (var services = Start(settings))
                    {
                        // The previous policy: the sessions created and run once on a blank tensor at start-up.
                        var t = Stopwatch.GetTimestamp();
                        var creation = Task.Run(() =>
                        {
                            var extractor = services.GetRequiredService<FeatureExtractor>();
                            extractor.Inference.Infer(new float[extractor.Preprocessor.TensorLength]);
                        });
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByImageId>(services).RunAsync(
                            HttpRequests.Get("?top=4"), ColdLoadBenchmark.Category, ids[round], CancellationToken.None));
                        Add("with a warm-up run at start-up: first by-id answer", Elapsed(t));
                        await creation;
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByUpload>(services).RunAsync(HttpRequests.Post(photo), ColdLoadBenchmark.Category, CancellationToken.None));
                        Add("with a warm-up run at start-up: first by-photo answer", Elapsed(t));
                    }

                    await using (var services = Start(settings))
                    {
                        // No session at all: what a first by-id answer costs beyond the load, with nothing beside it.
                        var t = Stopwatch.GetTimestamp();
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByImageId>(services).RunAsync(
                            HttpRequests.Get("?top=4"), ColdLoadBenchmark.Category, ids[round], CancellationToken.None));
                        Add("no sessions created: first by-id answer", Elapsed(t));
                    }

                    await using (var services = Start(settings))
                    {
                        // The order before start-up creation: the search service could not be built without the sessions.
                        var t = Stopwatch.GetTimestamp();
                        _ = services.GetRequiredService<FeatureExtractor>();
                        Ok(await ActivatorUtilities.CreateInstance<SimilarByImageId>(services).RunAsync(
                            HttpRequests.Get("?top=4"), ColdLoadBenchmark.Category, ids[round], CancellationToken.None));
                        Add("serial: first by-id answer", Elapsed(t));
                    }
                }

                var session = Median(times["session creation alone"]);
                var load = Median(times["category load alone"]);
                var longer = Math.Max(session, load);
                var table2 = new ResultTable(
                    $"Cold start, {modelId}, {count:N0} x 512 on Azurite (median of {rounds} starts)", "figure", "max(session, load)");
                foreach (var name in new[] { "session creation alone", "session creation + the first run alone", "a second run alone (what the first run costs once warm)", "category load alone", "hosted services started (session creation begun)", "first by-photo answer", "with a warm-up run at start-up: first by-id answer", "with a warm-up run at start-up: first by-photo answer", "serial: first by-id answer", "no sessions created: first by-id answer" })
                {
                    table2.Add(name, Median(times[name]), longer, Unit.Milliseconds, RatioOf.FigureOverBaseline);
                }

                foreach (var name in times.Keys.Where(k => k.StartsWith(PatchedLabel, StringComparison.Ordinal)))
                {
                    table2.Add(name, Median(times[name]), longer, Unit.Milliseconds, RatioOf.FigureOverBaseline);
                }

                table2.Add("first by-id answer (goal <= 1.1x)", Median(times["first by-id answer"]), longer, Unit.Milliseconds, RatioOf.FigureOverBaseline);
                table2.Print();
            }
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    // A descriptor that names tensors inside the graph (the recommended resnet18-l3l4): its session is created from the
    // graph patched in memory. Beside it, what it cost while the check for a patch was a session created from the file
    // and dropped.
    private static async Task TimePatchedSessionAsync(Dictionary<string, string?> settings, Action<string, double> add)
    {
        var patched = new Dictionary<string, string?>(settings) { ["Model:Descriptor"] = "models/resnet18-l3l4.json" };
        await using (var services = Start(patched))
        {
            var t = Stopwatch.GetTimestamp();
            _ = services.GetRequiredService<FeatureExtractor>();
            add($"{PatchedLabel}: session creation alone", Elapsed(t));
        }

        await using (var services = Start(patched))
        {
            var t = Stopwatch.GetTimestamp();
            using (var options = new Microsoft.ML.OnnxRuntime.SessionOptions { GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL })
            using (new Microsoft.ML.OnnxRuntime.InferenceSession(services.GetRequiredService<ModelDescriptor>().OnnxPath, options))
            {
            }

            _ = services.GetRequiredService<FeatureExtractor>();
            add($"{PatchedLabel}: the same after a session created only to check it, as before", Elapsed(t));
        }
    }

    // As the function app's Program registers the services (the host adds its configuration and logging the same way).
    private static ServiceProvider Start(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return ProductSearchServices.Build(configuration, logging: b => b.SetMinimumLevel(LogLevel.Warning));
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static void Ok(IActionResult result)
    {
        if (result is not OkObjectResult)
        {
            throw new InvalidOperationException($"A cold query did not answer 200: {result}.");
        }
    }
}
