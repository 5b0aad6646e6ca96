using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// What the decoder processes cost against decoding in the app's own process, in one run: a lone photo's extraction
/// (the photo search's decode and model, p50, the two alternating photo by photo), indexing-style throughput with two
/// callers, and the memory of the app and its decoders during a burst of 32 large-photo decodes.
/// </summary>
internal static class IsolationCostBenchmark
{
    public static async Task RunAsync(bool quick)
    {
        var model = ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json"));
        var photos = ProductPhotos.Load(quick ? 40 : 200);
        var isolatedDecoder = IsolatedPhotoDecoder.CreateStandalone(model.Input);
        using var isolated = Extractor(model, isolatedDecoder);
        using var inProcess = Extractor(model, new InProcessPhotoDecoder(new ImageLimits(), model.Input));
        // Decoders compiling in tiers, as before Decoder:TieredCompilation was off by default.
        using var tieredDecoder = new IsolatedPhotoDecoder(
            model.Input, Options.Create(new ImageLimits()), Options.Create(new DecoderOptions { TieredCompilation = true }), TimeProvider.System,
            NullLogger<IsolatedPhotoDecoder>.Instance);
        using var tiered = Extractor(model, tieredDecoder);

        var lone = new ResultTable($"A lone photo's decode and model, {photos.Count} shared photos, p50", "decoder processes", "in-process");
        var (viaProcesses, viaSelf) = (new List<double>(), new List<double>());
        for (var round = 0; round < 2; round++)
        {
            foreach (var photo in photos)
            {
                var measured = round > 0; // Round 0 warms both paths.
                var a = await TimeAsync(isolated, photo.Bytes);
                var b = await TimeAsync(inProcess, photo.Bytes);
                await TimeAsync(tiered, photo.Bytes); // Warmed as much as the others, not measured here.
                if (measured)
                {
                    viaProcesses.Add(a);
                    viaSelf.Add(b);
                }
            }
        }

        lone.Add("extraction p50", Samples.Median(viaProcesses), Samples.Median(viaSelf), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        lone.Add("extraction p95", Samples.Percentile(viaProcesses, 95), Samples.Percentile(viaSelf, 95), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        lone.Print();

        var throughput = new ResultTable($"Indexing-style throughput, {photos.Count} photos, 2 callers", "decoder processes", "in-process");
        Rate? viaDecoders = null, inSelf = null, viaTiered = null;
        for (var round = 0; round < 2; round++)
        {
            viaDecoders = Best(viaDecoders, await RateAsync(isolated, photos));
            inSelf = Best(inSelf, await RateAsync(inProcess, photos));
            viaTiered = Best(viaTiered, await RateAsync(tiered, photos));
        }

        throughput.Add("images/s (best of 2)", viaDecoders!.PerSecond, inSelf!.PerSecond, Unit.PerSecond, RatioOf.FigureOverBaseline);
        // Where the cores went in those rounds, per photo: more work, or cores left idle while a photo crosses the pipe.
        throughput.Add("processor time per photo: the app", viaDecoders.AppMs, inSelf.AppMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        throughput.Add("  the decoder processes", viaDecoders.DecodersMs, inSelf.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        throughput.Add("  idle cores (cores x wall time - both)", viaDecoders.IdleMs, inSelf.IdleMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        throughput.Add("decoders compiling in tiers: images/s", viaTiered!.PerSecond, inSelf.PerSecond, Unit.PerSecond, RatioOf.FigureOverBaseline);
        throughput.Add("  their processor time per photo", viaTiered.DecodersMs, viaDecoders.DecodersMs, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        throughput.Print();

        await MemoryBurstAsync(isolatedDecoder, quick);
    }

    private static async Task MemoryBurstAsync(IsolatedPhotoDecoder decoder, bool quick)
    {
        var (width, height) = quick ? (3000, 2000) : (6000, 4000);
        using var photo = DecodeLimitReport.NoisyPhoto(width, height, 16);
        using var encoded = new MemoryStream();
        await photo.SaveAsJpegAsync(encoded, new JpegEncoder { Quality = 90 });
        var bytes = encoded.ToArray();
        var options = new DecoderOptions();

        GC.Collect();
        var steady = ResidentBytes.OfSelfAndChildren();
        var peak = steady;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes.OfSelfAndChildren());
                await Task.Delay(20);
            }
        });
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            using var fitted = await decoder.DecodeFittedAsync(new MemoryStream(bytes, writable: false), CancellationToken.None);
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await sampling.CancelAsync();
        await sampler;
        await Task.Delay(TimeSpan.FromSeconds(2)); // Idle, to read where memory settles.
        var after = ResidentBytes.OfSelfAndChildren();

        var budget = steady + ((long)decoder.Size * options.MemoryLimitMegabytes * 1024 * 1024);
        var table = new ResultTable(
            $"32 concurrent decodes of a {width}x{height} JPEG ({bytes.Length / (1024 * 1024.0):0.0} MB) through {decoder.Size} decoder processes, {elapsed.TotalSeconds:0.0} s",
            "resident, app + decoders",
            "steady state + decoders' limits");
        table.Add("peak during the burst", peak, budget, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Add("idle after the burst", after, steady, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Print();
    }

    private static Rate Best(Rate? best, Rate rate) => best is null || rate.PerSecond > best.PerSecond ? rate : best;

    private static FeatureExtractor Extractor(ModelDescriptor model, IPhotoDecoder decoder) =>
        new(model, decoder, Options.Create(new ModelOptions()), TimeProvider.System, NullLogger<FeatureExtractor>.Instance);

    private static async Task<double> TimeAsync(FeatureExtractor extractor, byte[] photo)
    {
        var started = Stopwatch.GetTimestamp();
        await extractor.ExtractFeaturesAsync(new MemoryStream(photo, writable: false), CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<Rate> RateAsync(FeatureExtractor extractor, List<ProductPhoto> photos)
    {
        using var self = Process.GetCurrentProcess();
        var (appBefore, decodersBefore) = (self.TotalProcessorTime, ProcessCpu.OfChildren("Decoder"));
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(photos, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (photo, token) =>
            await extractor.ExtractFeaturesAsync(new MemoryStream(photo.Bytes, writable: false), token));
        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var perPhoto = 1000.0 / photos.Count;
        var appMs = (self.TotalProcessorTime - appBefore).TotalSeconds * perPhoto;
        var decodersMs = ProcessCpu.Between(decodersBefore, ProcessCpu.OfChildren("Decoder")).TotalSeconds * perPhoto;
        return new Rate(photos.Count / elapsed.TotalSeconds, appMs, decodersMs, (Environment.ProcessorCount * elapsed.TotalSeconds * perPhoto) - appMs - decodersMs);
    }

    /// <summary>A throughput round: images per second, and per photo the processor time of the app and the decoders, and the cores left idle.</summary>
    private sealed record Rate(double PerSecond, double AppMs, double DecodersMs, double IdleMs);
}

/// <summary>Resident memory of a process and the processes it started (Linux /proc), in bytes.</summary>
internal static class ResidentBytes
{
    public static long OfSelfAndChildren()
    {
        var (self, children, _) = Of(Environment.ProcessId, _ => true);
        return self + children;
    }

    /// <summary>
    /// An app's process and its decoder processes, apart: what the app holds on its instance. Other children, and the
    /// process that started the app (a benchmark's clients and Azurite), are not counted.
    /// </summary>
    public static AppResident OfAppAndDecoders(int appProcessId)
    {
        var (app, decoders, count) = Of(appProcessId, folder => File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("Decoder", StringComparison.Ordinal));
        return new AppResident(app, decoders, count);
    }

    private static (long Self, long Children, int Count) Of(int processId, Func<string, bool> isCounted)
    {
        var self = processId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (own, children, count) = (0L, 0L, 0);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(folder);
            if (!int.TryParse(name, out _))
            {
                continue;
            }

            try
            {
                if (name == self)
                {
                    own = Resident(folder);
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (parent == self && isCounted(folder))
                {
                    children += Resident(folder);
                    count++;
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return (own, children, count);
    }

    private static long Resident(string folder)
    {
        foreach (var line in File.ReadLines(Path.Combine(folder, "status")))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}

/// <summary>Resident bytes of an app's process and of its decoder processes (<paramref name="Decoders"/> of them).</summary>
internal readonly record struct AppResident(long App, long DecoderBytes, int Decoders)
{
    public long Total => App + DecoderBytes;
}
