using System.Diagnostics;
using ProductSearch.Benchmarks.Load;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The overload benchmark's shopper, in a process of its own as shoppers are: asks "more like this" by id at a steady
/// pace, as product pages do, and reports each answer's time. Hidden command <see cref="Command"/>, driven by
/// <see cref="OverloadBenchmark"/> over <see cref="BenchmarkProcess"/>: "start" (the app's address, the ids, the pace),
/// then "quiet" (a number of queries, answered with their times) or "during" and, later, "stop" (answered with the
/// times of the queries in between).
/// </summary>
internal static class OverloadShopper
{
    public const string Command = "overload-shopper";

    public static async Task<int> RunAsync()
    {
        var start = await BenchmarkProcess.ReadRequestAsync<ShopperRequest>() ?? throw new InvalidDataException("No app for the shopper.");
        using var client = new HttpClient { BaseAddress = new Uri(start.BaseAddress!) };
        var ids = start.Ids!;
        var pace = TimeSpan.FromMilliseconds(start.PaceMilliseconds);
        BenchmarkProcess.Answer(new List<double>());
        while (await BenchmarkProcess.ReadRequestAsync<ShopperRequest>() is { } request)
        {
            switch (request.Command)
            {
                case "quiet":
                    BenchmarkProcess.Answer(await ByIdAsync(client, ids, pace, request.Count, CancellationToken.None));
                    break;
                case "during":
                    using (var stop = new CancellationTokenSource())
                    {
                        var during = ByIdAsync(client, ids, pace, int.MaxValue, stop.Token);
                        BenchmarkProcess.Answer(new List<double>());
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

    // Paced, as shoppers' product pages ask: one query every pace (the next at once if one took longer).
    private static async Task<List<double>> ByIdAsync(HttpClient client, List<string> ids, TimeSpan pace, int count, CancellationToken until)
    {
        var times = new List<double>();
        using var timer = new PeriodicTimer(pace);
        for (var i = 0; i < count && !until.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None); i++)
        {
            var id = Uri.EscapeDataString(ids[i * 7 % ids.Count]);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri($"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/products/{id}/similar?top=4", UriKind.Relative), CancellationToken.None);
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        return times;
    }
}

internal sealed record ShopperRequest(string Command, string? BaseAddress = null, List<string>? Ids = null, double PaceMilliseconds = 0, int Count = 0);
