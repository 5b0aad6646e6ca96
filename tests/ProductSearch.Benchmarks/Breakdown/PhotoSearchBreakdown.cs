using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Imaging;
using ProductSearch.Search;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Breakdown;

/// <summary>
/// Where one lone by-photo query's time goes, stage by stage, for 1 MP JPEGs made from the shared photos and for the
/// shared photos as they are (500x500 baseline JPEGs from IKEA, up to 2 MP progressive ones from Magento): each
/// stage is the library's own step called on its own (so the product carries no timer), beside inference alone,
/// the whole query through the function class and the same query over HTTP (the function classes behind Kestrel,
/// as the browser tests host them), all in one run. The gap between the sum of the stages and the function class
/// is what the stages leave out: thread-pool hops, the gate, allocation.
/// </summary>
internal static class PhotoSearchBreakdown
{
    public static async Task RunAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var shared = ProductPhotos.Load(quick ? 12 : 40);
        var photoSets = new (string Name, List<byte[]> Photos)[]
        {
            ("1 MP JPEGs", OneMegapixel(shared)),
            ("the shared photos as uploaded", [.. shared.Select(p => p.Bytes)]),
        };
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            foreach (var descriptor in new[] { "models/resnet18.json", await Vgg16Model.DescriptorFileAsync() })
            {
                await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?>
                {
                    ["Model:Descriptor"] = descriptor,
                    ["Search:StalenessSeconds"] = "3600",
                });
                await app.Table.EnsureCreatedAsync();
                var extractor = app.Services.GetRequiredService<FeatureExtractor>();
                var colour = extractor.Model.Colour is { } c ? new Storage.ColourColumns(c.Id, c.Dimension) : (Storage.ColourColumns?)null;
                await ColdLoadBenchmark.WriteAsync(app.Table.Client, count, extractor.Model.Id, colour);
                await using var server = await FunctionAppServer.StartAsync(app);
                foreach (var (name, photos) in photoSets)
                {
                    var table = new ResultTable(
                        $"Lone by-photo query, {extractor.Model.Id}, {name}, {count:N0} x 512 on Azurite (p50 of {photos.Count} photos)",
                        "p50",
                        "inference alone p50");
                    await MeasureAsync(app, server, extractor, photos, table);
                    table.Print();
                }
            }
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task MeasureAsync(
        FunctionAppHarness app, FunctionAppServer server, FeatureExtractor extractor, List<byte[]> photos, ResultTable table)
    {
        var limits = app.Services.GetRequiredService<IOptions<ImageLimits>>().Value;
        var loader = new SafeImageLoader(Options.Create(limits));
        var model = extractor.Model;
        var fitter = new ImagePreprocessor(model.Input);
        var linearFitter = new ImagePreprocessor(model.Input with { Sampler = ResizeSampler.Linear });
        var comparison = new List<double>();
        // The same tensor fill without the trim, which the resize stage already did.
        var filler = new ImagePreprocessor(model.Input with { TrimBackground = BackgroundTrim.Off });
        var index = (await app.Cache.GetAsync(ColdLoadBenchmark.Category, CancellationToken.None))!;
        var byUpload = app.Function<SimilarByUpload>();
        var tensor = new float[extractor.Preprocessor.TensorLength];
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        var stages = new Dictionary<string, List<double>>();
        var photoStages = 0.0;
        void Add(string stage, long started)
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(elapsed);
            photoStages += elapsed;
        }

        var stageSums = new List<double>();

        var inference = new List<double>();
        var function = new List<double>();
        var http = new List<double>();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var route = FunctionAppServer.RoutePrefix + SimilarByUpload.Route.Replace("{category}", ColdLoadBenchmark.Category, StringComparison.Ordinal);

        // Round 0 warms every path; rounds alternate the contenders photo by photo so a slow moment hits them alike.
        for (var round = 0; round < 2; round++)
        {
            foreach (var bytes in photos)
            {
                var measured = round > 0;
                photoStages = 0;
                var t = Stopwatch.GetTimestamp();
                var (buffer, length) = await SafeImageLoader.ReadBoundedAsync(new MemoryStream(bytes, writable: false), limits.MaxBytes, CancellationToken.None);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                if (measured)
                {
                    Add("body read", t);
                }

                t = Stopwatch.GetTimestamp();
                var format = Image.DetectFormat(bytes)!;
                ImageCompleteness.EnsureComplete(format, bytes);
                ImageStructure.Check(format, bytes, limits);
                _ = Image.Identify(bytes);
                if (measured)
                {
                    Add("sniff + limits (sniff, completeness walk, structure walk, identify)", t);
                }

                t = Stopwatch.GetTimestamp();
                using var image = Image.Load<Rgba32>(bytes);
                if (measured)
                {
                    Add("decode", t);
                }

                t = Stopwatch.GetTimestamp();
                image.Mutate(x => x.AutoOrient());
                if (measured)
                {
                    Add("orientation", t);
                }

                using (var copy = image.Clone())
                {
                    // Not a stage of the query: the notebook's sampler on the same pixels, for comparison.
                    t = Stopwatch.GetTimestamp();
                    linearFitter.Fit(copy);
                    if (measured)
                    {
                        comparison.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                }

                t = Stopwatch.GetTimestamp();
                fitter.Fit(image);
                if (measured)
                {
                    Add("trim + resize", t);
                }

                t = Stopwatch.GetTimestamp();
                filler.Preprocess(image, tensor);
                if (measured)
                {
                    Add("tensor fill", t);
                }

                float[]? histogram = null;
                if (model.Colour is { } options)
                {
                    t = Stopwatch.GetTimestamp();
                    histogram = new float[options.Dimension];
                    ColourHistogram.Compute(image, options, histogram);
                    if (measured)
                    {
                        Add("colour histogram", t);
                    }
                }

                t = Stopwatch.GetTimestamp();
                var vector = extractor.Inference.Infer(tensor);
                if (measured)
                {
                    Add("inference + pooling (+ mirror when declared)", t);
                    inference.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }

                t = Stopwatch.GetTimestamp();
                var (results, searched, weight) = index.Search(index.QueryOf(vector, histogram), new SimilarityQuery(4) { ColourWeight = (float)new SearchOptions().DefaultColourWeight });
                if (measured)
                {
                    Add("scan", t);
                }

                t = Stopwatch.GetTimestamp();
                _ = JsonSerializer.SerializeToUtf8Bytes(
                    results.Select(r => new { r.Image.ImageId, r.Image.ProductId, r.Distance, r.Image.ImageUrl }).ToList(), json);
                if (measured)
                {
                    Add("serialisation", t);
                }

                t = Stopwatch.GetTimestamp();
                var result = await byUpload.RunAsync(HttpRequests.Post(bytes), ColdLoadBenchmark.Category, CancellationToken.None);
                if (result is not OkObjectResult)
                {
                    throw new InvalidOperationException($"A by-photo query did not answer 200: {result}.");
                }

                if (measured)
                {
                    function.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    stageSums.Add(photoStages);
                }

                t = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                using var response = await client.PostAsync(route, content);
                _ = await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                if (measured)
                {
                    http.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }
        }

        var inferenceP50 = Percentile(inference, 50);
        foreach (var (stage, times) in stages)
        {
            table.Add(stage, Percentile(times, 50), inferenceP50, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        table.Add("(not in the query) trim + resize with the linear sampler instead", Percentile(comparison, 50), inferenceP50, Unit.Milliseconds, RatioOf.FigureOverBaseline);

        // Per photo, then the p50: a set of small and large photos has no photo whose every stage is its median.
        table.Add("the stages summed per photo", Percentile(stageSums, 50), inferenceP50, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        var goal = model.Id.StartsWith("resnet18", StringComparison.Ordinal) ? "1.6x" : "1.1x";
        table.Add($"by photo through the function class (goal <= {goal})", Percentile(function, 50), inferenceP50, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("by photo over HTTP (Kestrel), baseline: function class (goal <= +5 ms)", Percentile(http, 50), Percentile(function, 50), Unit.Milliseconds, RatioOf.FigureOverBaseline);
    }

    // Upscaled to 1000x1000 and re-encoded: the 1 MP JPEG the HTTP goal is stated for.
    private static List<byte[]> OneMegapixel(List<ProductPhoto> photos) =>
        [.. photos.Select(p =>
        {
            using var image = Image.Load<Rgba32>(p.Bytes);
            image.Mutate(x => x.Resize(1000, 1000));
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
            return stream.ToArray();
        })];
}
