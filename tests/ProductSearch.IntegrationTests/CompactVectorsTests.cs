using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Search;

namespace ProductSearch.IntegrationTests;

[Collection(AzuriteCollection.Name)]
public sealed class CompactVectorsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Float16VectorsHalveTheMatrixAndAnswerLikeFloat32()
    {
        await using var full = new FunctionAppHarness(azurite);
        await using var compact = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Search:CompactVectors"] = "true" });
        foreach (var app in new[] { full, compact })
        {
            for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
            {
                for (var shot = 0; shot < 3; shot++)
                {
                    var blob = app.Container.GetBlobClient($"tees/p{product}-{shot}.jpg");
                    await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, shot)), new BlobUploadOptions());
                    await app.Function<IndexProductImage>().RunAsync(blob, "tees", CancellationToken.None);
                }
            }
        }

        var fullIndex = (await full.Cache.GetAsync("tees", CancellationToken.None))!;
        var compactIndex = (await compact.Cache.GetAsync("tees", CancellationToken.None))!;
        Assert.Equal(fullIndex.MatrixBytes / 2, compactIndex.MatrixBytes);

        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            var id = Uri.EscapeDataString($"p{product}-1.jpg");
            var expected = await SimilarAsync(full, id);
            var actual = await SimilarAsync(compact, id);

            Assert.Equal(expected.Results.Select(r => r.Id), actual.Results.Select(r => r.Id));
            Assert.All(expected.Results.Zip(actual.Results), pair => Assert.Equal(pair.First.Distance, pair.Second.Distance, 2));
        }
    }

    private static async Task<SimilarProductsResponse> SimilarAsync(FunctionAppHarness app, string id)
    {
        var result = await app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?top=6&group=image"), "tees", id, CancellationToken.None);
        return (SimilarProductsResponse)((OkObjectResult)result).Value!;
    }
}
