using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ProductSearch.Benchmarks.Load;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The photo search under overload, on the real path: the function classes behind Kestrel over Azurite, real decoder
/// processes. Nine rounds of 32 concurrent uploads of 6000x4000 JPEGs while a shopper asks by id every 20 ms; prints the
/// answers by status, the time to an answer or a shed both as the server saw it (from the request reaching the app,
/// when admission is tried, to the answer's headers leaving) and as the client saw it (plain, and with
/// <c>Expect: 100-continue</c>, which lets a shed client skip sending the body), the memory of the app and its decoder
/// processes (peak, idle before and after), and by-id p95 during the rounds against the same paced queries with no
/// uploads (after a warm-up, so JIT is not in the baseline), in all, in the first two rounds (the instance's first burst,
/// when the paths only a burst takes are compiled) and after, and split into the way there, the app's own time and the
/// way back (one monotonic clock serves every process), for an instance sized as a 2,048 MB Flex Consumption
/// instance (Admission:InstanceMemoryMegabytes) with the decoders niced as by default and not niced, as 4,096 MB, and
/// as 2,048 MB with every upload asking before it sends its body (half do in the others).
/// As on an instance, the app has its process to itself (<see cref="OverloadApp"/>, a fresh one per configuration),
/// and its shoppers are elsewhere: the uploads leave from this process, the by-id queries from another
/// (<see cref="OverloadShopper"/>), so neither's buffers nor collections are the app's. They still share the cores, so
/// the shopper also asks a yardstick (<see cref="OverloadControlServer"/>) that does none of the app's work: what its
/// p95 gains during the uploads, any answer on this VM gains.
/// </summary>
internal static class OverloadBenchmark
{
    private const int Concurrent = 32;
    private const int Vectors = 2_000;
    private const int FirstRounds = 2;
    private static readonly TimeSpan QueryPace = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(bool quick)
    {
        var photos = LargePhotos(quick);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            // The last sends every upload with Expect: 100-continue, so no shed photo's body crosses to the app: what
            // the bodies of shed plain POSTs (read to their end by Kestrel, to keep the connection) cost by-id answers.
            foreach (var (instanceMegabytes, niceness, allAsk) in new[] { (2048, (int?)null, false), (2048, 0, false), (4096, null, false), (2048, null, true) })
            {
                await RunAsync(azurite, photos, instanceMegabytes, niceness, allAsk, rounds: quick ? 2 : 9);
            }
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task RunAsync(AzuriteFixture azurite, List<byte[]> photos, int instanceMegabytes, int? niceness, bool allAsk, int rounds)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Search:StalenessSeconds"] = "3600",
            ["Admission:InstanceMemoryMegabytes"] = instanceMegabytes.ToString(CultureInfo.InvariantCulture),
        };
        if (niceness is { } n)
        {
            settings["Decoder:Niceness"] = n.ToString(CultureInfo.InvariantCulture);
        }

        await using var app = BenchmarkProcess.Start(OverloadApp.Command);
        var ready = await app.AskAsync<AppReady>(new AppRequest("start", azurite.ConnectionString, settings, Vectors));
        var address = new Uri(ready.BaseAddress);
        await using var yardstick = BenchmarkProcess.Start(OverloadControlServer.Command);
        var controlAddress = await yardstick.ReceiveAsync<string>();
        await using var shopper = BenchmarkProcess.Start(OverloadShopper.Command);
        await shopper.AskAsync<ShopperTimes>(new ShopperRequest("start", ready.BaseAddress, controlAddress, ready.Ids, QueryPace.TotalMilliseconds));
        using var uploads = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        // A client that asks before sending the body waits for 100 Continue as long as it takes, so a shed one never sends it.
        using var asking = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromMinutes(5),
        };

        // Warm every path once (the category's matrix, the model, a decoder, the by-id path's JIT), then the baseline.
        using (var warm = await PostAsync(uploads, photos[0], expectContinue: false))
        {
            warm.EnsureSuccessStatusCode();
        }

        await shopper.AskAsync<ShopperTimes>(new ShopperRequest("quiet", Count: 250));
        var (afterOne, _) = await IdleAsync(app);
        // Two photos at once take the paths one alone does not (inference's single-threaded session, both decoders):
        // an instance pays for them at its first concurrent photos, once, not at every burst.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            using var response = await PostAsync(uploads, photos[i], expectContinue: false);
            return response.StatusCode;
        }));
        if (concurrent.Any(s => (int)s is >= 400 and < 500 || ((int)s >= 500 && s != HttpStatusCode.ServiceUnavailable)))
        {
            throw new InvalidOperationException($"Two warm-up photos at once were answered {string.Join(", ", concurrent)}.");
        }

        var (quiet, quietControl) = await shopper.AskAsync<ShopperTimes>(new ShopperRequest("quiet", Count: 500));
        var (idleBefore, heapBefore) = await IdleAsync(app);
        await app.AskAsync<AppMemory>(new AppRequest("clear"));

        var answers = new List<(HttpStatusCode Status, double Seconds, bool ExpectContinue, TimeSpan? RetryAfter)>();
        var peak = idleBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var now = ResidentBytes.OfAppAndDecoders(app.Id);
                peak = now.Total > peak.Total ? now : peak;
                await Task.Delay(20);
            }
        });
        await shopper.AskAsync<ShopperTimes>(new ShopperRequest("during"));
        var started = Stopwatch.GetTimestamp();
        var laterRounds = 0L;
        for (var round = 0; round < rounds; round++)
        {
            if (round == FirstRounds)
            {
                laterRounds = Stopwatch.GetTimestamp();
            }

            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i => Task.Run(async () =>
            {
                var expectContinue = allAsk || i % 2 == 1;
                var sent = Stopwatch.GetTimestamp();
                using var response = await PostAsync(expectContinue ? asking : uploads, photos[i % photos.Count], expectContinue);
                return (response.StatusCode, Stopwatch.GetElapsedTime(sent).TotalSeconds, expectContinue, response.Headers.RetryAfter?.Delta);
            }))));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await sampling.CancelAsync();
        await sampler;
        var (busy, busyControl) = await shopper.AskAsync<ShopperTimes>(new ShopperRequest("stop"));
        var served = await app.AskAsync<List<ServedAnswer>>(new AppRequest("served"));
        var (idleAfter, heapAfter) = await IdleAsync(app);

        var shed = answers.Where(a => a.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests).ToList();
        var ok = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        var serverShed = served.Where(s => s.Status is 503 or 429).Select(s => s.Seconds).ToList();
        var serverOk = served.Where(s => s.Status == 200).Select(s => s.Seconds).ToList();
        var size = Image.Identify(photos[0]);
        Console.WriteLine();
        Console.WriteLine(
            $"## Overload, as a {instanceMegabytes:N0} MB instance, Decoder:Niceness {niceness?.ToString(CultureInfo.InvariantCulture) ?? "default"}, {(allAsk ? "every upload" : "half the uploads")} with Expect: 100-continue: {rounds} rounds of {Concurrent} concurrent uploads of {size.Width}x{size.Height} JPEGs "
            + $"({photos.Average(p => p.Length) / (1024 * 1024.0):0.0} MB), {elapsed.TotalSeconds:0.0} s; admission: {ready.MaxPhotos} photos within {ready.BudgetMegabytes} MB");
        Console.WriteLine(
            "answers: " + string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{(int)g.Key} x {g.Count()}"))
            + $"; 503/429 without Retry-After: {shed.Count(a => a.RetryAfter is null)}");
        Console.WriteLine(
            $"server, request at the app to the answer's headers: longest shed {Longest(serverShed)}, p95 shed {P95(serverShed)}; longest 200 {Longest(serverOk)} ({serverShed.Count} sheds, {serverOk.Count} x 200 seen)");
        foreach (var expectContinue in new[] { false, true })
        {
            var mine = shed.Where(a => a.ExpectContinue == expectContinue).Select(a => a.Seconds).ToList();
            Console.WriteLine(
                $"client, {(expectContinue ? "Expect: 100-continue" : "plain POST")}: longest shed {Longest(mine)}, p95 shed {P95(mine)} ({mine.Count} sheds); "
                + $"longest 200 {Longest([.. ok.Where(a => a.ExpectContinue == expectContinue).Select(a => a.Seconds)])}");
        }

        var table = new ResultTable($"Memory (the app's process + its decoder processes) and by-id latency, as a {instanceMegabytes:N0} MB instance", "figure", "baseline");
        table.Add("peak during the rounds / idle before", peak.Total, idleBefore.Total, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Add("idle after / idle before", idleAfter.Total, idleBefore.Total, Unit.Bytes, RatioOf.FigureOverBaseline);
        var first = busy.Where(q => laterRounds == 0 || q.Sent < laterRounds).ToList();
        var later = busy.Where(q => laterRounds != 0 && q.Sent >= laterRounds).ToList();
        table.Add($"by-id p95 during ({busy.Count} queries) / without uploads ({quiet.Count}), one every {QueryPace.TotalMilliseconds:0} ms (goal <= 3x)", P95(busy, q => q.Total), P95(quiet, q => q.Total), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        if (later.Count > 0)
        {
            table.Add($"  in the first {FirstRounds} rounds ({first.Count}), the instance's first burst / without", P95(first, q => q.Total), P95(quiet, q => q.Total), Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add($"  in the rounds after ({later.Count}) / without", P95(later, q => q.Total), P95(quiet, q => q.Total), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        table.Add("  of the way there: sent to the app handling it", P95(busy, q => q.ToApp), P95(quiet, q => q.ToApp), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  in the app: handling it to the answer's headers", P95(busy, q => q.InApp), P95(quiet, q => q.InApp), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("  of the way back: the headers to the shopper having the answer", P95(busy, q => q.Back), P95(quiet, q => q.Back), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("yardstick p95: a fixed answer from a process of its own, asked in between / without uploads", Samples.Percentile(busyControl, 95), Samples.Percentile(quietControl, 95), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("by-id p50 during / without uploads", Samples.Median(busy.Select(q => q.Total)), Samples.Median(quiet.Select(q => q.Total)), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Print();
        Console.WriteLine(
            $"the app's collections from idle before to idle after: {heapAfter.Gen0Collections - heapBefore.Gen0Collections} gen0, {heapAfter.Gen1Collections - heapBefore.Gen1Collections} gen1, "
            + $"{heapAfter.Gen2Collections - heapBefore.Gen2Collections} gen2, paused {heapAfter.PauseMilliseconds - heapBefore.PauseMilliseconds:0} ms in all");
        Console.WriteLine($"idle after - idle before: {(idleAfter.Total - idleBefore.Total) / (1024 * 1024.0):+0;-0} MiB; peak: {peak.Total / (1024 * 1024 * 1024.0):0.00} GiB");
        Console.WriteLine(
            $"first photos at once ({string.Join(", ", concurrent.Select(c => (int)c))}), once per instance: idle {Mib(afterOne.Total)} after one photo, {Mib(idleBefore.Total)} after two at once "
            + $"(app {Change(idleBefore.App - afterOne.App)}, decoders {Change(idleBefore.DecoderBytes - afterOne.DecoderBytes)})");
        foreach (var (name, resident, heap) in new[] { ("idle before", idleBefore, heapBefore), ("peak", peak, null), ("idle after", idleAfter, heapAfter) })
        {
            Console.WriteLine(
                $"{name}: app {Mib(resident.App)}" + (heap is null ? "" : $" (managed heap {Mib(heap.HeapBytes)}, committed {Mib(heap.CommittedBytes)}, {heap.Gen2Collections} gen2 collections)")
                + $", {resident.Decoders} decoders {Mib(resident.DecoderBytes)}");
        }
    }

    private static double P95(List<QueryTime> times, Func<QueryTime, double> part) => Samples.Percentile(times.Select(part), 95);

    private static string Mib(long bytes) => $"{bytes / (1024 * 1024.0):0} MiB";

    private static string Change(long bytes) => $"{bytes / (1024 * 1024.0):+0;-0} MiB";

    private static string Longest(List<double> seconds) => seconds.Count == 0 ? "-" : $"{seconds.Max():0.00} s";

    private static string P95(List<double> seconds) => seconds.Count == 0 ? "-" : $"{Samples.Percentile(seconds, 95):0.00} s";

    // Resident once the app has been idle for a while: a burst's memory should have been given back by then.
    private static async Task<(AppResident Resident, AppMemory Heap)> IdleAsync(BenchmarkProcess app)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        return (ResidentBytes.OfAppAndDecoders(app.Id), await app.AskAsync<AppMemory>(new AppRequest("memory")));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] photo, bool expectContinue)
    {
        using var body = new ByteArrayContent(photo);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/similar?top=4", UriKind.Relative))
        {
            Content = body,
        };
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request);
    }

    private static List<byte[]> LargePhotos(bool quick)
    {
        var (width, height) = quick ? (3000, 2000) : (6000, 4000);
        using var photo = DecodeLimitReport.NoisyPhoto(width, height, 16);
        return [.. new[] { 90, 85, 80, 75 }.Select(quality =>
        {
            using var encoded = new MemoryStream();
            photo.SaveAsJpeg(encoded, new JpegEncoder { Quality = quality });
            return encoded.ToArray();
        })];
    }
}
