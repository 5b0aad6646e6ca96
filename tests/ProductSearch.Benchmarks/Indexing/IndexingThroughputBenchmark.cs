using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.Benchmarks.Indexing;

/// <summary>
/// Images per second through the blob-trigger function class (read the blob, decode, extract, write the row to
/// Azurite) with as many concurrent invocations as <c>host.json</c> allows, against ONNX Runtime inference alone on
/// all cores in the same run, for ResNet18 and for VGG16 (the app's default).
/// </summary>
internal static class IndexingThroughputBenchmark
{
    public static async Task RunAsync(bool quick)
    {
        var photos = ProductPhotos.Load(quick ? 24 : 100);
        var concurrency = HostBlobConcurrency();
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var table = new ResultTable(
                $"Indexing {photos.Count} photos through IndexProductImage, {concurrency} at once (host.json), images/s", "figure", "baseline");
            foreach (var descriptor in new[] { "models/resnet18.json", await Vgg16Model.DescriptorFileAsync() })
            {
                await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Model:Descriptor"] = descriptor });
                await app.Table.EnsureCreatedAsync();
                var blobs = new List<(string Category, string Name)>();
                foreach (var photo in photos)
                {
                    var name = $"{photo.Category}/{Path.GetFileName(photo.Path)}";
                    await app.Container.GetBlobClient(name).UploadAsync(new BinaryData(photo.Bytes), overwrite: true);
                    blobs.Add((photo.Category, name));
                }

                var extractor = app.Services.GetRequiredService<FeatureExtractor>();
                var inference = InferenceAlone.Rate(extractor, photos.Count);
                var function = app.Function<IndexProductImage>();
                var started = Stopwatch.GetTimestamp();
                await ConcurrentCallers.RunAsync(
                    concurrency, blobs.Count, i => function.RunAsync(app.Container.GetBlobClient(blobs[i].Name), blobs[i].Category, CancellationToken.None));
                var indexing = blobs.Count / Stopwatch.GetElapsedTime(started).TotalSeconds;

                // A fast run that indexed nothing is worth nothing: every photo must have its row.
                var rows = 0;
                foreach (var category in blobs.Select(b => b.Category).Distinct())
                {
                    rows += (await app.Table.ReadCategoryMatrixAsync(category, extractor.Model.Id, CancellationToken.None)).Images.Count;
                }

                if (rows != blobs.Count)
                {
                    throw new InvalidOperationException($"{extractor.Model.Id}: {rows} rows for {blobs.Count} photos.");
                }

                table.Add($"{extractor.Model.Id}: indexing / inference alone, 1 caller on all cores (goal >= 0.9x)", indexing, inference, Unit.PerSecond, RatioOf.FigureOverBaseline);
            }

            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static int HostBlobConcurrency()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        return host["extensions"]?["blobs"]?["maxDegreeOfParallelism"]?.GetValue<int>()
            ?? throw new InvalidDataException("host.json sets no extensions.blobs.maxDegreeOfParallelism.");
    }
}
