using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Wiring;

/// <summary>
/// What a cold worker waits for: a by-id query needs only stored vectors, so it must not begin (or wait for) the
/// model's sessions; a photo query begins them if start-up has not. Over rows indexed on Azurite by another worker.
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
            var blob = indexer.Container.GetBlobClient($"{Category}/p{product}.jpg");
            await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, 0)), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                Metadata = new Dictionary<string, string> { ["productid"] = $"product-{product}" },
            });
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
}
