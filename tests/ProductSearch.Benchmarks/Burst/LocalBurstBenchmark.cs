using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Functions;
using ProductSearch.Indexing;
using ProductSearch.Maintenance;

namespace ProductSearch.Benchmarks.Burst;

/// <summary>
/// A newcomer's local run: 200 shared product photos uploaded within a second into Azurite, with the settings of
/// <c>local.settings.sample.json</c> (its reconcile schedule) and <c>host.json</c>'s blob settings. The polling blob
/// trigger is the real WebJobs engine the Functions host loads; the reconciliation runs on the sample's NCRONTAB
/// schedule, parsed by the library the host's timer uses; answers come over HTTP from the function classes. Prints the
/// time until every photo is answerable by id, and who indexed each one, with the polling trigger and with a trigger that
/// misses every photo. Baseline, same run: the same photos indexed by calling the function class directly, as many at
/// once as host.json allows.
/// </summary>
internal static class LocalBurstBenchmark
{
    private const string Model = "models/resnet18.json"; // VGG16's weights cannot be downloaded here; the sample names VGG16.
    private static readonly TimeSpan Goal = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(10);

    /// <summary>How often answers are re-checked when no table write has come: the figure's resolution.</summary>
    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(bool quick)
    {
        var photos = ProductPhotos.Load(quick ? 40 : 200);
        var sample = SampleSettings();
        var blobs = HostBlobSettings();
        Console.WriteLine($"Burst of {photos.Count} photos in {photos.Select(p => p.Category).Distinct().Count()} categories; {Model} (the sample's VGG16 cannot be built here); "
            + $"Reconcile:Schedule '{sample["Reconcile:Schedule"]}', host.json blobs maxDegreeOfParallelism {blobs.Parallelism}, poisonBlobThreshold {blobs.PoisonThreshold}");
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var baseline = await DirectIndexingAsync(azurite, sample, photos, blobs.Parallelism);
            var table = new ResultTable($"{photos.Count}-photo burst on Azurite, local sample settings: seconds until every photo is answerable by id", "figure", "baseline");
            var notes = new List<string>();
            // The polling trigger as func start runs it; then the trigger missing every photo (the Event Grid source, which
            // Azurite never feeds), the worst case the reconcile schedule has to bound.
            foreach (var (scenario, job) in new[] { ("polling trigger", typeof(IndexProductImageJob)), ("trigger missing all", typeof(IndexProductImageEventGridJob)) })
            {
                var burst = await BurstAsync(azurite, sample, blobs, photos, job);
                table.Add($"{scenario}: last photo answerable / the goal (3 min)", burst.LastAnswerable.TotalSeconds, Goal.TotalSeconds, Unit.Count, RatioOf.FigureOverBaseline);
                table.Add($"{scenario}: last photo answerable / the same photos indexed by the function class directly", burst.LastAnswerable.TotalSeconds, baseline.TotalSeconds, Unit.Count, RatioOf.FigureOverBaseline);
                table.Add($"{scenario}: median photo answerable / the same baseline", burst.MedianAnswerable.TotalSeconds, baseline.TotalSeconds, Unit.Count, RatioOf.FigureOverBaseline);
                notes.Add($"{scenario}: last photo answerable after {burst.LastAnswerable.TotalSeconds:0.0} s, median {burst.MedianAnswerable.TotalSeconds:0.0} s; "
                    + $"every upload answered within {burst.Uploaded.TotalSeconds:0.00} s (LastModified spread {burst.UploadSpread.TotalSeconds:0} s, whole seconds); indexed by the blob trigger {burst.ByTrigger}, "
                    + $"by the reconciliation {burst.ByReconciler} ({burst.ReconcileRuns} runs, ended at {string.Join(", ", burst.ReconcileTimes.Select(t => $"{t.TotalSeconds:0} s"))}); "
                    + $"trigger invocations that threw {burst.TriggerFailures}");
            }

            table.Print();
            Console.WriteLine($"baseline: the {photos.Count} photos indexed by the function class directly, {blobs.Parallelism} at once, in {baseline.TotalSeconds:0.0} s");
            notes.ForEach(Console.WriteLine);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<TimeSpan> DirectIndexingAsync(AzuriteFixture azurite, Dictionary<string, string?> sample, List<ProductPhoto> photos, int concurrency)
    {
        await using var app = new FunctionAppHarness(azurite, sample);
        await app.Table.EnsureCreatedAsync();
        var names = photos.Select(Name).ToList();
        await Task.WhenAll(photos.Select(p => app.Container.GetBlobClient(Name(p)).UploadAsync(new BinaryData(p.Bytes))));
        var function = app.Function<IndexProductImage>();
        var started = Stopwatch.GetTimestamp();
        await ConcurrentCallers.RunAsync(
            concurrency, names.Count, i => function.RunAsync(app.Container.GetBlobClient(names[i]), photos[i].Category, CancellationToken.None));
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<BurstResult> BurstAsync(
        AzuriteFixture azurite, Dictionary<string, string?> sample, (int Parallelism, int PoisonThreshold) blobs, List<ProductPhoto> photos, Type job)
    {
        await using var app = new FunctionAppHarness(azurite, sample);
        await using var server = await FunctionAppServer.StartAsync(app);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var counts = new Counts();
        using var host = BlobTriggerHost(azurite, app, blobs, counts, job);
        await host.StartAsync();
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        var reconcileTimes = new ConcurrentQueue<TimeSpan>();
        var timer = ReconcileOnScheduleAsync(
            app.Services.GetRequiredService<CatalogReconciler>(), sample["Reconcile:Schedule"]!, counts, () => reconcileTimes.Enqueue(Stopwatch.GetElapsedTime(started)), stop.Token);
        try
        {
            // The burst: every upload started at once, as a shop's bulk upload tool would.
            started = Stopwatch.GetTimestamp();
            await Task.WhenAll(photos.Select(p => app.Container.GetBlobClient(Name(p)).UploadAsync(new BinaryData(p.Bytes))));
            var uploaded = Stopwatch.GetElapsedTime(started);
            var modified = await app.Container.GetBlobsAsync().Select(b => b.Properties.LastModified!.Value).ToListAsync();
            var answerable = new Dictionary<ProductPhoto, TimeSpan>();
            while (answerable.Count < photos.Count)
            {
                if (Stopwatch.GetElapsedTime(started) > GiveUp)
                {
                    throw new TimeoutException($"{answerable.Count} of {photos.Count} photos answerable after {GiveUp}.");
                }

                // A table write is what can make a photo answerable; the cache's staleness bound can delay the answer past
                // the last write, so without one the answers are read again after the resolution interval.
                var written = app.TableRequests.NextAnsweredWriteAsync();
                foreach (var photo in photos.Where(p => !answerable.ContainsKey(p)))
                {
                    using var response = await http.GetAsync(
                        $"{FunctionAppServer.RoutePrefix}categories/{Uri.EscapeDataString(photo.Category)}/products/{Uri.EscapeDataString(Path.GetFileName(photo.Path))}/similar");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answerable[photo] = Stopwatch.GetElapsedTime(started);
                    }
                    else if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        throw new InvalidOperationException($"{photo.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }

                await Task.WhenAny(written, Task.Delay(Resolution));
            }

            return new BurstResult(
                answerable.Values.Max(),
                TimeSpan.FromSeconds(Samples.Median(answerable.Values.Select(t => t.TotalSeconds))),
                uploaded,
                modified.Max() - modified.Min(),
                counts.ByTrigger,
                counts.ByReconciler,
                counts.TriggerFailures,
                reconcileTimes.Count,
                [.. reconcileTimes]);
        }
        finally
        {
            await stop.CancelAsync();
            await timer;
            await host.StopAsync();
        }
    }

    /// <summary>The timer as the host runs it: at each occurrence of the schedule, one reconciliation at a time.</summary>
    private static async Task ReconcileOnScheduleAsync(CatalogReconciler reconciler, string schedule, Counts counts, Action ran, CancellationToken cancellationToken)
    {
        var occurrences = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        try
        {
            while (true)
            {
                var now = DateTime.UtcNow;
                await Task.Delay(occurrences.GetNextOccurrence(now) - now, cancellationToken);
                var report = await reconciler.ReconcileAsync(cancellationToken);
                Interlocked.Add(ref counts.ByReconciler, report.MissedIndexed);
                ran();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The burst is answered: the timer stops with the host.
        }
    }

    /// <summary>The WebJobs host with the blob extension configured as host.json configures it, polling the harness's container.</summary>
    private static IHost BlobTriggerHost(AzuriteFixture azurite, FunctionAppHarness app, (int Parallelism, int PoisonThreshold) blobs, Counts counts, Type job) => new HostBuilder()
        .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["ProductStorage"] = azurite.ConnectionString,
            ["Storage:ImagesContainer"] = app.ContainerName,
        }))
        .ConfigureWebJobs(b => b.AddAzureStorageBlobs(o =>
        {
            o.MaxDegreeOfParallelism = blobs.Parallelism;
            o.PoisonBlobThreshold = blobs.PoisonThreshold;
        }))
        .ConfigureLogging(l => l.ClearProviders())
        .ConfigureServices(s =>
        {
            s.AddSingleton(app.Services.GetRequiredService<ProductImageIndexer>());
            s.AddSingleton(counts);
            s.AddSingleton<ITypeLocator>(new JobTypes(job));
        })
        .Build();

    private static string Name(ProductPhoto photo) => $"{photo.Category}/{Path.GetFileName(photo.Path)}";

    /// <summary>
    /// local.settings.sample.json's values as configuration keys, except the connections (Azurite's here), the model, and the
    /// container and table names (each harness has its own, so the baseline's rows are not the burst's).
    /// </summary>
    private static Dictionary<string, string?> SampleSettings()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")))!["Values"]!.AsObject();
        var settings = values
            .Where(pair => pair.Key is not ("AzureWebJobsStorage" or "ProductStorage" or "FUNCTIONS_WORKER_RUNTIME" or "Storage__ImagesContainer" or "Storage__VectorTable"))
            .ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value, StringComparer.OrdinalIgnoreCase);
        settings["Model:Descriptor"] = Model;
        return settings;
    }

    private static (int Parallelism, int PoisonThreshold) HostBlobSettings()
    {
        var blobs = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["extensions"]?["blobs"]
            ?? throw new InvalidDataException("host.json has no extensions.blobs section.");
        return (blobs["maxDegreeOfParallelism"]!.GetValue<int>(), blobs["poisonBlobThreshold"]!.GetValue<int>());
    }

    private sealed record BurstResult(
        TimeSpan LastAnswerable, TimeSpan MedianAnswerable, TimeSpan Uploaded, TimeSpan UploadSpread, int ByTrigger, int ByReconciler, int TriggerFailures, int ReconcileRuns, TimeSpan[] ReconcileTimes);

    internal sealed class Counts
    {
        public int ByTrigger;
        public int ByReconciler;
        public int TriggerFailures;
    }

    /// <summary>The function class's trigger declaration (Debug's polling source, as under func start), counting what it indexed.</summary>
    public sealed class IndexProductImageJob(ProductImageIndexer indexer, Counts counts)
    {
        [FunctionName(nameof(IndexProductImage))]
        public async Task RunAsync(
            [BlobTrigger(IndexProductImage.BlobPath, Connection = "ProductStorage", Source = BlobTriggerSource.LogsAndContainerScan)] BlobClient blob,
            CancellationToken cancellationToken)
        {
            try
            {
                if ((await indexer.IndexAsync(blob, cancellationToken)).Outcome == IndexOutcome.Indexed)
                {
                    Interlocked.Increment(ref counts.ByTrigger);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref counts.TriggerFailures);
                throw; // The host retries the blob, as it does for the function.
            }
        }
    }

    /// <summary>The Azure build's trigger: deliveries come from Event Grid only, so on Azurite none come.</summary>
    public sealed class IndexProductImageEventGridJob(ProductImageIndexer indexer, Counts counts)
    {
        [FunctionName(nameof(IndexProductImage))]
        public async Task RunAsync(
            [BlobTrigger(IndexProductImage.BlobPath, Connection = "ProductStorage", Source = BlobTriggerSource.EventGrid)] BlobClient blob,
            CancellationToken cancellationToken)
        {
            if ((await indexer.IndexAsync(blob, cancellationToken)).Outcome == IndexOutcome.Indexed)
            {
                Interlocked.Increment(ref counts.ByTrigger);
            }
        }
    }

    private sealed class JobTypes(params Type[] types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }
}
