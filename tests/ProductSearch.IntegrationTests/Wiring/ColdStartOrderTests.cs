using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;
using ProductSearch.Tooling.Backfill;

namespace ProductSearch.IntegrationTests.Wiring;

/// <summary>
/// What a cold worker waits for: a by-id query needs only stored vectors, so it must not begin (or wait for) the
/// model's sessions; a photo query begins them if start-up has not; reconciliation begins them only to index a blob the
/// trigger missed, and a backfill that only fills in thumbnails never. Over rows indexed on Azurite by another worker.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ColdStartOrderTests(AzuriteFixture azurite)
{
    private const string Category = "lamps";

    [Fact]
    public async Task ByIdAnswersWithoutBeginningTheModelSessions()
    {
        await using var indexer = new FunctionAppHarness(azurite);
        for (var product = 0; product < 3; product++)
        {
            var blob = await UploadAsync(indexer, $"p{product}.jpg", product);
            await indexer.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
        }

        // A fresh worker on the same table; the harness, like the CLI, runs no hosted services, so nothing warmed it.
        await using var cold = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Storage:VectorTable"] = indexer.TableName });
        var startup = cold.Services.GetRequiredService<FeatureExtractorStartup>();

        var byId = await cold.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?top=2"), Category, "p0.jpg", CancellationToken.None);

        var response = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(byId).Value);
        Assert.Equal(["p1.jpg", "p2.jpg"], response.Results.Select(r => r.Id).Order());
        Assert.False(startup.HasBegun);

        var byPhoto = await cold.Function<SimilarByUpload>().RunAsync(
            HttpRequests.Post(ProductPhotoGenerator.Jpeg(0, 1), "?top=1"), Category, CancellationToken.None);

        Assert.Equal("p0.jpg", Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(byPhoto).Value).Results.Single().Id);
        Assert.True(startup.HasBegun);
    }

    [Fact]
    public async Task ReconcilingBeginsTheModelSessionsOnlyToIndexAMissedBlob()
    {
        await using var indexer = new FunctionAppHarness(azurite);
        var indexed = await UploadAsync(indexer, "p0.jpg", product: 0);
        await indexer.Function<IndexProductImage>().RunAsync(indexed, Category, CancellationToken.None);

        // A fresh worker on the same catalogue, as the timer or `product-search reconcile` runs it.
        await using var cold = new FunctionAppHarness(azurite, indexer.SameCatalogue(("Reconcile:RepairGracePeriod", "00:00:00")));
        var startup = cold.Services.GetRequiredService<FeatureExtractorStartup>();
        var reconciler = cold.Services.GetRequiredService<CatalogReconciler>();

        var inLine = await reconciler.ReconcileCategoryAsync(Category, CancellationToken.None);

        Assert.Equal((1, 0), (inLine.VectorsChecked, inLine.MissedFound));
        Assert.False(startup.HasBegun);

        await UploadAsync(indexer, "p1.jpg", product: 1);
        var repaired = await reconciler.ReconcileCategoryAsync(Category, CancellationToken.None);

        Assert.Equal((1, 1), (repaired.MissedFound, repaired.MissedIndexed));
        Assert.True(startup.HasBegun);
    }

    [Fact]
    public async Task FillingThumbnailsInWithoutTheModelNeverBeginsItsSessions()
    {
        // A catalogue indexed before thumbnails existed.
        await using var indexer = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Thumbnails:Enabled"] = "false" });
        for (var product = 0; product < 2; product++)
        {
            var blob = await UploadAsync(indexer, $"p{product}.jpg", product);
            await indexer.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
        }

        // A fresh worker with thumbnails on, as `product-search backfill` runs it.
        await using var cold = new FunctionAppHarness(azurite, indexer.SameCatalogue());
        var startup = cold.Services.GetRequiredService<FeatureExtractorStartup>();

        var report = await ActivatorUtilities.CreateInstance<CatalogBackfill>(cold.Services).RunAsync(Category, 2, null, CancellationToken.None);

        Assert.Equal((2, 0), (report.ThumbnailsFilled, report.Indexed));
        Assert.False(startup.HasBegun);
    }

    private static async Task<Azure.Storage.Blobs.BlobClient> UploadAsync(FunctionAppHarness harness, string name, int product)
    {
        var blob = harness.Container.GetBlobClient($"{Category}/{name}");
        await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, 0)), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
            Metadata = new Dictionary<string, string> { ["productid"] = $"product-{product}" },
        });
        return blob;
    }
}
