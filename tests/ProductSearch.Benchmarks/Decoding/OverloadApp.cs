using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Decoding;
using ProductSearch.Features;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The overload benchmark's app, alone in its process as on a Functions instance: the function classes behind Kestrel
/// over the benchmark's Azurite, with a catalogue of by-id rows written before it serves. Hidden command
/// <see cref="Command"/>, driven by <see cref="OverloadBenchmark"/> over <see cref="BenchmarkProcess"/>.
/// </summary>
internal static class OverloadApp
{
    public const string Command = "overload-app";
    public const string ArrivedHeader = "x-benchmark-arrived";
    public const string LeftHeader = "x-benchmark-left";

    public static async Task<int> RunAsync()
    {
        var start = await BenchmarkProcess.ReadRequestAsync<AppRequest>() ?? throw new InvalidDataException("No settings for the app.");
        var served = new ConcurrentBag<ServedAnswer>();
        await using var app = new FunctionAppHarness(start.Storage!, start.Settings);
        await app.Table.EnsureCreatedAsync();
        var extractor = app.Services.GetRequiredService<FeatureExtractor>();
        var colour = extractor.Model.Colour is { } c ? new Storage.ColourColumns(c.Id, c.Dimension) : (Storage.ColourColumns?)null;
        var ids = await ColdLoadBenchmark.WriteAsync(app.Table.Client, start.Vectors, extractor.Model.Id, colour);
        // Writing the catalogue is the benchmark's setup, not the app's memory.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var admission = app.Services.GetRequiredService<DecodeAdmission>();
        await using var server = await FunctionAppServer.StartAsync(app, observe: (context, next) => TimeAsync(context, next, served));
        BenchmarkProcess.Answer(new AppReady(server.BaseAddress.ToString(), ids, admission.MaxPhotos, admission.BudgetBytes >> 20));

        while (await BenchmarkProcess.ReadRequestAsync<AppRequest>() is { } request)
        {
            switch (request.Command)
            {
                case "clear":
                    served.Clear();
                    BenchmarkProcess.Answer(Memory());
                    break;
                case "memory":
                    BenchmarkProcess.Answer(Memory());
                    break;
                case "served":
                    BenchmarkProcess.Answer(served.ToList());
                    break;
                default:
                    throw new InvalidDataException($"Unknown request '{request.Command}'.");
            }
        }

        return 0;
    }

    private static AppMemory Memory()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new AppMemory(GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, info.TotalCommittedBytes, info.FragmentedBytes, GC.CollectionCount(2), GC.CollectionCount(0), GC.CollectionCount(1), GC.GetTotalPauseDuration().TotalMilliseconds);
    }

    // From the request reaching the app (admission is tried at once: the category and the model are warm) to its
    // answer's headers leaving: what the server costs a shed photo, whatever the client does with the body after. A
    // by-id answer carries both instants instead (one monotonic clock for every process of the VM), for the shopper to
    // tell the app's time from the way there and back.
    private static async Task TimeAsync(HttpContext context, RequestDelegate next, ConcurrentBag<ServedAnswer> served)
    {
        var arrived = Stopwatch.GetTimestamp();
        var upload = HttpMethods.IsPost(context.Request.Method);
        context.Response.OnStarting(() =>
        {
            if (upload)
            {
                served.Add(new ServedAnswer(context.Response.StatusCode, Stopwatch.GetElapsedTime(arrived).TotalSeconds));
            }
            else
            {
                context.Response.Headers[ArrivedHeader] = arrived.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers[LeftHeader] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        });
        await next(context);
    }
}

/// <summary>A request to the app's process: the first is its storage and settings, then "clear", "memory" or "served".</summary>
internal sealed record AppRequest(string Command, string? Storage = null, Dictionary<string, string?>? Settings = null, int Vectors = 0);

internal sealed record AppReady(string BaseAddress, List<string> Ids, int MaxPhotos, long BudgetMegabytes);

/// <summary>
/// The app's managed heap as its GC last saw it: live bytes, the heap after the last collection, committed, fragmented;
/// and its collections and their pauses so far.
/// </summary>
internal sealed record AppMemory(long LiveBytes, long HeapBytes, long CommittedBytes, long FragmentedBytes, int Gen2Collections, int Gen0Collections, int Gen1Collections, double PauseMilliseconds);

internal sealed record ServedAnswer(int Status, double Seconds);
