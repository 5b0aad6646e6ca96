using System.Diagnostics;
using System.Globalization;
using ProductSearch.Benchmarks.Load;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The overload benchmark's shopper, in a process of its own as shoppers are: asks "more like this" by id at a steady
/// pace, as product pages do, and, at the same pace in between, the yardstick server (<see cref="OverloadControlServer"/>);
/// reports each answer's time. Hidden command <see cref="Command"/>, driven by <see cref="OverloadBenchmark"/> over
/// <see cref="BenchmarkProcess"/>: "start" (the app's and the yardstick's addresses, the ids, the pace), then "quiet"
/// (a number of queries, answered with their times) or "during" and, later, "stop" (answered with the times of the
/// queries in between).
/// </summary>
internal static class OverloadShopper
{
    public const string Command = "overload-shopper";

    public static async Task<int> RunAsync()
    {
        var start = await BenchmarkProcess.ReadRequestAsync<ShopperRequest>() ?? throw new InvalidDataException("No app for the shopper.");
        using var app = new HttpClient { BaseAddress = new Uri(start.BaseAddress!) };
        using var control = new HttpClient { BaseAddress = new Uri(start.ControlAddress!) };
        var ids = start.Ids!;
        var pace = TimeSpan.FromMilliseconds(start.PaceMilliseconds);
        BenchmarkProcess.Answer(new ShopperTimes([], []));
        while (await BenchmarkProcess.ReadRequestAsync<ShopperRequest>() is { } request)
        {
            switch (request.Command)
            {
                case "quiet":
                    BenchmarkProcess.Answer(await AskAsync(app, control, ids, pace, request.Count, CancellationToken.None));
                    break;
                case "during":
                    using (var stop = new CancellationTokenSource())
                    {
                        var during = AskAsync(app, control, ids, pace, int.MaxValue, stop.Token);
                        BenchmarkProcess.Answer(new ShopperTimes([], []));
                        if (await BenchmarkProcess.ReadRequestAsync<ShopperRequest>() is not { Command: "stop" })
                        {
                            throw new InvalidDataException("A run of queries during uploads ends with 'stop'.");
                        }

                        await stop.CancelAsync();
                        BenchmarkProcess.Answer(await during);
                    }

                    break;
                default:
                    throw new InvalidDataException($"Unknown request '{request.Command}'.");
            }
        }

        return 0;
    }

    private static async Task<ShopperTimes> AskAsync(HttpClient app, HttpClient control, List<string> ids, TimeSpan pace, int count, CancellationToken until)
    {
        var byId = ByIdAsync(app, ids, pace, count, until);
        // Half a pace later, so the two never ask at the same instant.
        await Task.Delay(pace / 2, CancellationToken.None);
        var yardstick = ControlAsync(control, pace, count, until);
        return new ShopperTimes(await byId, await yardstick);
    }

    // Paced, as shoppers' product pages ask: one query every pace (the next at once if one took longer).
    private static async Task<List<QueryTime>> ByIdAsync(HttpClient client, List<string> ids, TimeSpan pace, int count, CancellationToken until)
    {
        var times = new List<QueryTime>();
        using var timer = new PeriodicTimer(pace);
        for (var i = 0; i < count && !until.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None); i++)
        {
            var id = Uri.EscapeDataString(ids[i * 7 % ids.Count]);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri($"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/products/{id}/similar?top=4", UriKind.Relative), CancellationToken.None);
            var received = Stopwatch.GetTimestamp();
            response.EnsureSuccessStatusCode();
            var arrived = Instant(response, OverloadApp.ArrivedHeader);
            var left = Instant(response, OverloadApp.LeftHeader);
            times.Add(new QueryTime(sent, Milliseconds(sent, received), Milliseconds(sent, arrived), Milliseconds(arrived, left), Milliseconds(left, received)));
        }

        return times;
    }

    private static async Task<List<double>> ControlAsync(HttpClient client, TimeSpan pace, int count, CancellationToken until)
    {
        var times = new List<double>();
        using var timer = new PeriodicTimer(pace);
        for (var i = 0; i < count && !until.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None); i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(OverloadControlServer.Route, UriKind.Relative), CancellationToken.None);
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        return times;
    }

    private static long Instant(HttpResponseMessage response, string header) =>
        long.Parse(response.Headers.GetValues(header).Single(), CultureInfo.InvariantCulture);

    private static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

/// <summary>
/// One by-id query's milliseconds: in all, as the shopper saw it; from sending to the app's handling it (the shopper's
/// send, the loopback, Kestrel reading it and a thread to run it); in the app (to the answer's headers leaving); and back.
/// </summary>
internal sealed record QueryTime(long Sent, double Total, double ToApp, double InApp, double Back);

/// <summary>The times of the by-id queries and of the yardstick's answers asked in between.</summary>
internal sealed record ShopperTimes(List<QueryTime> ById, List<double> Control);

internal sealed record ShopperRequest(string Command, string? BaseAddress = null, string? ControlAddress = null, List<string>? Ids = null, double PaceMilliseconds = 0, int Count = 0);
