using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Functions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The photo search under overload, on the real path: the function classes behind Kestrel over Azurite, real decoder
/// processes. Rounds of 32 concurrent uploads of 6000x4000 JPEGs while one client keeps asking by id; prints the answers
/// by status, the longest time to an answer or a shed, the memory of the app and its decoder processes (peak, idle
/// before and after), and by-id p95 during the rounds against the same queries with no uploads, for an instance sized
/// as a 2,048 MB and a 4,096 MB Flex Consumption instance (Admission:InstanceMemoryMegabytes).
/// </summary>
internal static class OverloadBenchmark
{
    private const int Concurrent = 32;
    private const int Vectors = 2_000;

    public static async Task RunAsync(bool quick)
    {
        var photos = LargePhotos(quick);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            foreach (var instanceMegabytes in new[] { 2048, 4096 })
            {
                await RunAsync(azurite, photos, instanceMegabytes, rounds: quick ? 2 : 6);
            }
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task RunAsync(AzuriteFixture azurite, List<byte[]> photos, int instanceMegabytes, int rounds)
    {
        await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?>
        {
            ["Search:StalenessSeconds"] = "3600",
            ["Admission:InstanceMemoryMegabytes"] = instanceMegabytes.ToString(CultureInfo.InvariantCulture),
        });
        await app.Table.EnsureCreatedAsync();
        var extractor = app.Services.GetRequiredService<FeatureExtractor>();
        var colour = extractor.Model.Colour is { } c ? new Storage.ColourColumns(c.Id, c.Dimension) : (Storage.ColourColumns?)null;
        var ids = await ColdLoadBenchmark.WriteAsync(app.Table.Client, Vectors, extractor.Model.Id, colour);
        var admission = app.Services.GetRequiredService<DecodeAdmission>();
        await using var server = await FunctionAppServer.StartAsync(app);
        using var uploads = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        using var queries = new HttpClient { BaseAddress = server.BaseAddress };

        // Warm every path once (the category's matrix, the model, a decoder), then read the idle baseline.
        using (var warm = await PostAsync(uploads, photos[0]))
        {
            warm.EnsureSuccessStatusCode();
        }

        var quiet = await ByIdAsync(queries, ids, count: 300, until: null);
        var idleBefore = await IdleResidentAsync();

        var statuses = new Dictionary<HttpStatusCode, int>();
        var (longestAnswer, longestShed, withoutRetryAfter) = (0.0, 0.0, 0);
        long peak = idleBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes.OfSelfAndDecoders());
                await Task.Delay(20);
            }
        });
        var during = ByIdAsync(queries, ids, count: int.MaxValue, until: sampling.Token);
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; round < rounds; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i => Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await PostAsync(uploads, photos[i % photos.Count]);
                return (response.StatusCode, Seconds: Stopwatch.GetElapsedTime(sent).TotalSeconds, RetryAfter: response.Headers.RetryAfter?.Delta);
            })));
            foreach (var (status, seconds, retryAfter) in answers)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                longestAnswer = status == HttpStatusCode.OK ? Math.Max(longestAnswer, seconds) : longestAnswer;
                longestShed = status == HttpStatusCode.OK ? longestShed : Math.Max(longestShed, seconds);
                withoutRetryAfter += status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests && retryAfter is null ? 1 : 0;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await sampling.CancelAsync();
        await sampler;
        var busy = await during;
        var idleAfter = await IdleResidentAsync();

        Console.WriteLine();
        Console.WriteLine(
            $"## Overload, as a {instanceMegabytes:N0} MB instance: {rounds} rounds of {Concurrent} concurrent uploads of 6000x4000 JPEGs "
            + $"({photos.Average(p => p.Length) / (1024 * 1024.0):0.0} MB), {elapsed.TotalSeconds:0.0} s; admission: {admission.MaxPhotos} photos within {admission.BudgetBytes >> 20} MB");
        Console.WriteLine(
            "answers: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key} x {s.Value}"))
            + $"; 503/429 without Retry-After: {withoutRetryAfter}; longest to a 200: {longestAnswer:0.00} s, longest to a shed: {longestShed:0.00} s");
        var table = new ResultTable($"Memory (app + decoder processes) and by-id latency, as a {instanceMegabytes:N0} MB instance", "figure", "baseline");
        table.Add("peak during the rounds / idle before", peak, idleBefore, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Add("idle after / idle before", idleAfter, idleBefore, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Add($"by-id p95 during ({busy.Count} queries) / without uploads", Samples.Percentile(busy, 95), Samples.Percentile(quiet, 95), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Add("by-id p50 during / without uploads", Samples.Median(busy), Samples.Median(quiet), Unit.Milliseconds, RatioOf.FigureOverBaseline);
        table.Print();
        Console.WriteLine($"idle after - idle before: {(idleAfter - idleBefore) / (1024 * 1024.0):+0;-0} MiB; peak: {peak / (1024 * 1024 * 1024.0):0.00} GiB");
    }

    // Resident once the app has been idle for a while: a burst's memory should have been given back by then.
    private static async Task<long> IdleResidentAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        return ResidentBytes.OfSelfAndDecoders();
    }

    private static async Task<List<double>> ByIdAsync(HttpClient client, List<string> ids, int count, CancellationToken? until)
    {
        var times = new List<double>();
        for (var i = 0; i < count && until?.IsCancellationRequested != true; i++)
        {
            var id = Uri.EscapeDataString(ids[i * 7 % ids.Count]);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri($"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/products/{id}/similar?top=4", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        return times;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] photo)
    {
        using var body = new ByteArrayContent(photo);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return await client.PostAsync(new Uri($"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/similar?top=4", UriKind.Relative), body);
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
