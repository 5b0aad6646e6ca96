using System.Diagnostics;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Telemetry;

namespace ProductSearch.IntegrationTests.Telemetry;

/// <summary>Indexing one image and answering one query produce the spans and metrics docs/architecture.md names.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IndexingAndAQueryEmitTheDocumentedSpansAndMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ProductSearchTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ProductSearchTelemetry.Name).AddInMemoryExporter(metrics).Build();
        await using var app = new FunctionAppHarness(azurite);

        foreach (var shot in new[] { 0, 1 })
        {
            var blob = app.Container.GetBlobClient($"tees/p0-{shot}.jpg");
            await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(0, shot)), new BlobUploadOptions());
            await app.Function<IndexProductImage>().RunAsync(blob, "tees", CancellationToken.None);
        }

        var answer = await app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?group=image"), "tees", "p0-0.jpg", CancellationToken.None);
        Assert.IsType<OkObjectResult>(answer);
        tracing.ForceFlush();
        meters.ForceFlush();

        Assert.Equal(2, spans.Count(s => s.DisplayName == "IndexProductImage" && (string?)s.GetTagItem(ProductSearchTelemetry.Attributes.Outcome) == "indexed"));
        Assert.Contains(spans, s => s.DisplayName == "ExtractFeatures");
        Assert.Contains(spans, s => s.DisplayName == "LoadCategory" && Equals(s.GetTagItem(ProductSearchTelemetry.Attributes.Vectors), 2));
        var query = Assert.Single(spans, s => s.DisplayName == "SimilarProducts");
        Assert.Equal("by_id", query.GetTagItem(ProductSearchTelemetry.Attributes.QueryKind));

        var names = metrics.Select(m => m.Name).ToHashSet();
        foreach (var name in new[]
        {
            "product_search.extraction.duration", "product_search.indexing.images", "product_search.cache.load.duration",
            "product_search.cache.load.vectors", "product_search.query.duration", "product_search.query.vectors_searched",
        })
        {
            Assert.Contains(name, names);
        }

        Assert.Equal(2, SumOf(metrics.Single(m => m.Name == "product_search.indexing.images")));
    }

    private static long SumOf(Metric metric)
    {
        long sum = 0;
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            sum += point.GetSumLong();
        }

        return sum;
    }
}
