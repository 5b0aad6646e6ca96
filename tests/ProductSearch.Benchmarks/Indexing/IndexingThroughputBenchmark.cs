using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Imaging;
using ProductSearch.Storage;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Benchmarks.Indexing;

/// <summary>
/// Images per second through the blob-trigger function class (read the blob, decode, extract, write the row to
/// Azurite) with as many concurrent invocations as <c>host.json</c> allows, against ONNX Runtime inference alone on
/// all cores in the same run, for ResNet18 and for VGG16 (the app's default); and the cost of writing thumbnails, as
/// indexing with them against indexing without them (<c>Thumbnails:Enabled</c>), alternating in the same run, and the
/// thumbnail's own resize and encode against that cost.
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
            // Colour against the app before colour (the descriptor without its histogram), alternating so both see the same machine.
            var shapeOnly = ShapeOnlyDescriptor.Create("models/resnet18.json");
            double before = 0, after = 0;
            for (var round = 0; round < 2; round++)
            {
                before = Math.Max(before, (await IndexAllAsync(azurite, shapeOnly, photos, concurrency)).Rate);
                after = Math.Max(after, (await IndexAllAsync(azurite, "models/resnet18.json", photos, concurrency)).Rate);
            }

            File.Delete(shapeOnly);
            table.Add("resnet18 with colour / before colour, best of 2 rounds each (goal >= 0.95x)", after, before, Unit.PerSecond, RatioOf.FigureOverBaseline);
            await CompareThumbnailsAsync(azurite, photos, concurrency, table);
            foreach (var descriptor in new[] { "models/resnet18.json", await Vgg16Model.DescriptorFileAsync() })
            {
                var run = await IndexAllAsync(azurite, descriptor, photos, concurrency, measureInference: true);
                table.Add($"{run.Model}: indexing / inference alone, 1 caller on all cores (goal >= 0.9x)", run.Rate, run.Inference, Unit.PerSecond, RatioOf.FigureOverBaseline);
            }

            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>Only the thumbnails' part of <see cref="RunAsync"/>: indexing with them against without, and where the cores went.</summary>
    public static async Task RunThumbnailsAsync(bool quick)
    {
        var photos = ProductPhotos.Load(quick ? 24 : 100);
        var concurrency = HostBlobConcurrency();
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var table = new ResultTable(
                $"Indexing {photos.Count} photos through IndexProductImage, {concurrency} at once (host.json)", "figure", "baseline");
            await CompareThumbnailsAsync(azurite, photos, concurrency, table);
            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    // ResNet18, the faster model, is where a thumbnail's cost weighs most. Alternating rounds, so both see the same machine;
    // each side's best round, with the processor time of that round per photo, process by process.
    private static async Task CompareThumbnailsAsync(AzuriteFixture azurite, List<ProductPhoto> photos, int concurrency, ResultTable table)
    {
        IndexRun? without = null, with = null, withoutTiered = null, withTiered = null;
        for (var round = 0; round < 2; round++)
        {
            without = Best(without, await IndexAllAsync(azurite, "models/resnet18.json", photos, concurrency, thumbnails: false));
            with = Best(with, await IndexAllAsync(azurite, "models/resnet18.json", photos, concurrency));
            // The same with the decoders compiling in tiers, as before Decoder:TieredCompilation was off by default.
            withoutTiered = Best(withoutTiered, await IndexAllAsync(azurite, "models/resnet18.json", photos, concurrency, thumbnails: false, tieredDecoders: true));
            withTiered = Best(withTiered, await IndexAllAsync(azurite, "models/resnet18.json", photos, concurrency, tieredDecoders: true));
        }

        table.Add("resnet18 with thumbnails / without, best of 2 rounds each, images/s (goal >= 0.9x)", with!.Rate, without!.Rate, Unit.PerSecond, RatioOf.FigureOverBaseline);
        // How much of that cost is the thumbnail's own work (resize and JPEG, in the decoder process) and how much the
        // rest (its bytes back over the pipe, its blob written: here to an Azurite on the same cores).
        var extraCoreMs = Environment.ProcessorCount * (1000 / with.Rate - 1000 / without.Rate);
        table.Add(
            "thumbnail resize + JPEG alone, one thread / indexing's extra core-ms per photo with thumbnails", ThumbnailMilliseconds(photos), extraCoreMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("processor time per photo, with thumbnails / without: the app", with.AppMs, without.AppMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  the decoder processes", with.DecodersMs, without.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  Azurite (Node, on the same cores)", with.AzuriteMs, without.AzuriteMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  all three", with.AppMs + with.DecodersMs + with.AzuriteMs, without.AppMs + without.DecodersMs + without.AzuriteMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  idle cores (cores x wall time - all three)", with.IdleMs, without.IdleMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  the app and its decoders (an instance's own cores)", with.AppMs + with.DecodersMs, without.AppMs + without.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("decoders compiling in tiers: with thumbnails / without, images/s", withTiered!.Rate, withoutTiered!.Rate, Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("  their processor time per photo, with / without", withTiered.DecodersMs, withoutTiered.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("without thumbnails, decoders optimised from the start / in tiers, images/s", without.Rate, withoutTiered.Rate, Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("  the decoders' processor time per photo", without.DecodersMs, withoutTiered.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("with thumbnails, decoders optimised from the start / in tiers, images/s", with.Rate, withTiered.Rate, Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("  the decoders' processor time per photo", with.DecodersMs, withTiered.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
    }

    private static IndexRun Best(IndexRun? best, IndexRun run) => best is null || run.Rate > best.Rate ? run : best;

    /// <summary>One indexing run: its rate, and per photo the processor time of the app, its decoders and Azurite, and the cores left idle.</summary>
    private sealed record IndexRun(string Model, double Rate, double Inference, double AppMs, double DecodersMs, double AzuriteMs, double IdleMs);

    // Decoded once; best of 3 passes, per photo.
    private static double ThumbnailMilliseconds(List<ProductPhoto> photos)
    {
        var images = photos.Select(p => Image.Load<Rgba32>(p.Bytes)).ToList();
        var encoding = new ThumbnailOptions().Encoding!;
        var best = double.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var image in images)
            {
                ThumbnailEncoder.Encode(image, encoding);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds / images.Count);
        }

        images.ForEach(i => i.Dispose());
        return best;
    }

    private static async Task<IndexRun> IndexAllAsync(
        AzuriteFixture azurite, string descriptor, List<ProductPhoto> photos, int concurrency, bool measureInference = false, bool thumbnails = true, bool tieredDecoders = false)
    {
        await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?>
        {
            ["Model:Descriptor"] = descriptor,
            ["Thumbnails:Enabled"] = thumbnails ? "true" : "false",
            ["Decoder:TieredCompilation"] = tieredDecoders ? "true" : "false",
        });
        await app.Table.EnsureCreatedAsync();
        var blobs = new List<(string Category, string Name)>();
        foreach (var photo in photos)
        {
            var name = $"{photo.Category}/{Path.GetFileName(photo.Path)}";
            await app.Container.GetBlobClient(name).UploadAsync(new BinaryData(photo.Bytes), overwrite: true);
            blobs.Add((photo.Category, name));
        }

        var extractor = app.Services.GetRequiredService<FeatureExtractor>();
        var inference = measureInference ? InferenceAlone.Rate(extractor, photos.Count) : 0;
        // The decoder processes start with the extractor and compile their decoders while warming up: one photo through
        // each first, so that start is not timed as indexing (a host starts them before its first blob arrives).
        var decoders = app.Services.GetRequiredService<IsolatedPhotoDecoder>();
        await Task.WhenAll(Enumerable.Range(0, decoders.Size).Select(async _ =>
            (await decoders.DecodeFittedAsync(new MemoryStream(photos[0].Bytes, writable: false), CancellationToken.None)).Dispose()));
        var function = app.Function<IndexProductImage>();
        using var self = Process.GetCurrentProcess();
        var (appBefore, decodersBefore, azuriteBefore) = (self.TotalProcessorTime, ProcessCpu.OfChildren("Decoder"), ProcessCpu.OfTree(azurite.ProcessId));
        var started = Stopwatch.GetTimestamp();
        await ConcurrentCallers.RunAsync(
            concurrency, blobs.Count, i => function.RunAsync(app.Container.GetBlobClient(blobs[i].Name), blobs[i].Category, CancellationToken.None));
        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var perPhoto = 1000.0 / blobs.Count;
        var appMs = (self.TotalProcessorTime - appBefore).TotalSeconds * perPhoto;
        var decodersMs = ProcessCpu.Between(decodersBefore, ProcessCpu.OfChildren("Decoder")).TotalSeconds * perPhoto;
        var azuriteMs = (ProcessCpu.OfTree(azurite.ProcessId) - azuriteBefore).TotalSeconds * perPhoto;
        var idleMs = (Environment.ProcessorCount * elapsed.TotalSeconds * perPhoto) - appMs - decodersMs - azuriteMs;
        var indexing = blobs.Count / elapsed.TotalSeconds;

        // A fast run that indexed nothing is worth nothing: every photo must have its row.
        var (rows, withThumbnail) = (0, 0);
        foreach (var category in blobs.Select(b => b.Category).Distinct())
        {
            var images = (await app.Table.Matrices.ReadAsync(category, extractor.Model.Id, CancellationToken.None)).Images;
            rows += images.Count;
            withThumbnail += images.Count(i => i.Thumbnail is not null);
        }

        if (rows != blobs.Count || withThumbnail != (thumbnails ? rows : 0))
        {
            throw new InvalidOperationException($"{extractor.Model.Id}: {rows} rows and {withThumbnail} thumbnails for {blobs.Count} photos.");
        }

        return new IndexRun(extractor.Model.Id, indexing, inference, appMs, decodersMs, azuriteMs, idleMs);
    }

    private static int HostBlobConcurrency()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        return host["extensions"]?["blobs"]?["maxDegreeOfParallelism"]?.GetValue<int>()
            ?? throw new InvalidDataException("host.json sets no extensions.blobs.maxDegreeOfParallelism.");
    }
}
