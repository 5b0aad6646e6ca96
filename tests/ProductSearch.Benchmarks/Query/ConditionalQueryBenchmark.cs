using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Features;
using static ProductSearch.Benchmarks.Samples;

namespace ProductSearch.Benchmarks.Query;

/// <summary>
/// What an edge cache's revalidation costs the origin: a by-id request holding the current ETag (answered 304, no
/// search) against the same request without it (a full search and its JSON), over HTTP (Kestrel over the function
/// classes) on 10,000 x 512 vectors in Azurite, alternated request by request so both see the same machine.
/// </summary>
internal static class ConditionalQueryBenchmark
{
    public static async Task RunAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var rounds = quick ? 200 : 1_000;
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Search:StalenessSeconds"] = "3600" });
            await app.Table.EnsureCreatedAsync();
            var model = app.Services.GetRequiredService<ModelDescriptor>();
            var colour = model.Colour is { } c ? new Storage.ColourColumns(c.Id, c.Dimension) : (Storage.ColourColumns?)null;
            var ids = await ColdLoadBenchmark.WriteAsync(app.Table.Client, count, model.Id, colour);
            await using var server = await FunctionAppServer.StartAsync(app);
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var random = new Random(7);
            var urls = Enumerable.Range(0, 64)
                .Select(_ => $"{FunctionAppServer.RoutePrefix}categories/{ColdLoadBenchmark.Category}/products/{Uri.EscapeDataString(ids[random.Next(ids.Count)])}/similar?top=4")
                .ToList();
            var tags = new Dictionary<string, EntityTagHeaderValue>();
            foreach (var url in urls)
            {
                using var first = await http.GetAsync(url);
                tags[url] = first.Headers.ETag ?? throw new InvalidOperationException($"{url} answered {(int)first.StatusCode} with no ETag.");
            }

            var full = new List<double>(rounds);
            var conditional = new List<double>(rounds);
            for (var i = 0; i < rounds; i++)
            {
                var url = urls[i % urls.Count];
                full.Add(await TimeAsync(http, url, null, HttpStatusCode.OK));
                conditional.Add(await TimeAsync(http, url, tags[url], HttpStatusCode.NotModified));
            }

            var table = new ResultTable($"Revalidating a by-id answer over HTTP, {count:N0} x 512 on Azurite", "304 (If-None-Match)", "200 (full search)");
            table.Add("by id p50", Percentile(conditional, 50), Percentile(full, 50), Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Add("by id p99", Percentile(conditional, 99), Percentile(full, 99), Unit.Milliseconds, RatioOf.FigureOverBaseline);
            table.Print();
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<double> TimeAsync(HttpClient http, string url, EntityTagHeaderValue? tag, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (tag is not null)
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return response.StatusCode == expected ? elapsed : throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}, not {(int)expected}.");
    }
}
