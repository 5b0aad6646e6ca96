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
        await using var full = await IndexedAppAsync(azurite, []);
        await using var compact = await IndexedAppAsync(azurite, new() { ["Search:CompactVectors"] = "true" });

        var fullIndex = (await full.Cache.GetAsync("tees", CancellationToken.None))!;
        var compactIndex = (await compact.Cache.GetAsync("tees", CancellationToken.None))!;
        // The CNN vectors take half the bytes; the colour kept beside them is the same in both.
        Assert.Equal(fullIndex.Count * CnnDimension(fullIndex) * sizeof(float) / 2, fullIndex.MatrixBytes - compactIndex.MatrixBytes);

        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            var id = Uri.EscapeDataString($"p{product}-1.jpg");
            var expected = await SimilarAsync(full, id);
            var actual = await SimilarAsync(compact, id);

            Assert.Equal(expected.Results.Select(r => r.Id), actual.Results.Select(r => r.Id));
            Assert.All(expected.Results.Zip(actual.Results), pair => Assert.Equal(pair.First.Distance, pair.Second.Distance, 2));
        }
    }

    [Fact]
    public async Task Int8ScanAnswersExactlyLikeTheRowsUnderneath()
    {
        await using var full = await IndexedAppAsync(azurite, []);
        await using var int8 = await IndexedAppAsync(azurite, new() { ["Search:Int8Scan"] = "true" });

        var fullIndex = (await full.Cache.GetAsync("tees", CancellationToken.None))!;
        var int8Index = (await int8.Cache.GetAsync("tees", CancellationToken.None))!;
        // One byte per CNN value (rows padded to 32 values) and one float scale per row on top of the float32 rows,
        // sized exactly on a load (at least 16 rows of room).
        var codesPerRow = (CnnDimension(fullIndex) + 31) / 32 * 32;
        Assert.Equal((fullIndex.Count * codesPerRow) + (Math.Max(fullIndex.Count, 16) * sizeof(float)), int8Index.MatrixBytes - fullIndex.MatrixBytes);

        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            var id = Uri.EscapeDataString($"p{product}-1.jpg");
            var expected = await SimilarAsync(full, id);
            var actual = await SimilarAsync(int8, id);

            // The int8 codes only pick candidates: the distances are computed on the float32 rows.
            Assert.Equal(expected.Results.Select(r => (r.Id, r.Distance)), actual.Results.Select(r => (r.Id, r.Distance)));
        }
    }

    private static int CnnDimension(CategoryIndex index) =>
        index.GetVector(index.SnapshotImages()[0].ImageId)!.Length - index.ColourDimension;

    // An app with the given settings and the generated shop photos indexed through the blob-trigger function.
    private static async Task<FunctionAppHarness> IndexedAppAsync(AzuriteFixture azurite, Dictionary<string, string?> settings)
    {
        var app = new FunctionAppHarness(azurite, settings);
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            for (var shot = 0; shot < 3; shot++)
            {
                var blob = app.Container.GetBlobClient($"tees/p{product}-{shot}.jpg");
                await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, shot)), new BlobUploadOptions());
                await app.Function<IndexProductImage>().RunAsync(blob, "tees", CancellationToken.None);
            }
        }

        return app;
    }

    private static async Task<SimilarProductsResponse> SimilarAsync(FunctionAppHarness app, string id)
    {
        var result = await app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?top=6&group=image"), "tees", id, CancellationToken.None);
        return (SimilarProductsResponse)((OkObjectResult)result).Value!;
    }
}
