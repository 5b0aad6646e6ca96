using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests;

/// <summary>The whole path on real Azurite and the real ResNet18: upload, index, query.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IndexAndQueryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "tops";
    private const int ShotsPerProduct = 4;
    // The app's clock: a test passes the staleness bound by moving it, not by waiting for it.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            for (var shot = 0; shot < ShotsPerProduct; shot++)
            {
                await UploadAndIndexAsync(BlobName(product, shot), ProductPhotoGenerator.Jpeg(product, shot));
            }
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryUploadBecomesOneRowWithItsBlobVersion()
    {
        var table = _app.Table.Client;
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == Category).ToListAsync();
        var images = rows.Where(r => !r.RowKey.StartsWith(ChangeLog.RowKeyPrefix, StringComparison.Ordinal)).ToList();

        Assert.Equal(ProductPhotoGenerator.ProductCount * ShotsPerProduct, images.Count);
        var row = images.Single(r => r.GetString("ImageId") == "p3/shot-2.jpg");
        Assert.Equal("p3%2Fshot-2.jpg", row.RowKey);
        Assert.Equal("resnet18-imagenet-avg", row.GetString("ModelId"));
        Assert.Equal(512, row.GetInt32("Dimension"));
        Assert.Equal("product-3", row.GetString("ProductId"));
        var blob = _app.Container.GetBlobClient($"{Category}/p3/shot-2.jpg");
        Assert.Equal((await blob.GetPropertiesAsync()).Value.ETag.ToString(), row.GetString("BlobETag"));
        Assert.Equal(blob.Uri.AbsoluteUri, row.GetString("ImageUrl"));

        var vector = VectorEntityCodec.FromEntity(row).Vector;
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public async Task SimilarByIdReturnsTheSameProductsOtherShotsFirst()
    {
        var function = _app.Function<SimilarByImageId>();
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            var id = $"p{product}/shot-0.jpg";
            var result = await function.RunAsync(HttpRequests.Get("?top=3&group=image"), Category, Uri.EscapeDataString(id), CancellationToken.None);

            var response = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
            Assert.Equal(ProductPhotoGenerator.ProductCount * ShotsPerProduct, response.Searched);
            Assert.Equal(3, response.Results.Count);
            Assert.DoesNotContain(response.Results, r => r.Id == id);
            Assert.All(response.Results, r => Assert.Equal($"product-{product}", r.ProductId));
            Assert.Equal(response.Results.OrderBy(r => r.Distance).Select(r => r.Id), response.Results.Select(r => r.Id));
        }
    }

    [Fact]
    public async Task SimilarByUploadFindsTheProductOfANewShot()
    {
        var function = _app.Function<SimilarByUpload>();
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            // A shot never uploaded: only the product's family can explain it.
            var photo = ProductPhotoGenerator.Jpeg(product, shot: 17);
            var result = await function.RunAsync(HttpRequests.Post(photo, "?group=image"), Category, CancellationToken.None);

            var response = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
            Assert.Equal(4, response.Results.Count);
            Assert.Equal("resnet18-imagenet-avg", response.Model);
            Assert.All(response.Results.Take(3), r => Assert.Equal($"product-{product}", r.ProductId));
        }
    }

    [Fact]
    public async Task ByDefaultEachResultIsADifferentProductAndTheQueryProductIsLeftOut()
    {
        var result = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?top=5"), Category, "p4%2Fshot-1.jpg", CancellationToken.None);

        var response = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(5, response.Results.Count);
        Assert.Equal(5, response.Results.Select(r => r.ProductId).Distinct().Count());
        Assert.DoesNotContain(response.Results, r => r.ProductId == "product-4");
        Assert.All(response.Results, r => Assert.Equal(1 - (r.Distance * r.Distance / 4), r.Similarity, 5));
    }

    [Fact]
    public async Task ThresholdsDropPoorMatchesAndTheSamePhotoIsANearDuplicate()
    {
        var function = _app.Function<SimilarByUpload>();
        var photo = await _app.Container.GetBlobClient($"{Category}/p5/shot-3.jpg").DownloadContentAsync();

        var all = (SimilarProductsResponse)((OkObjectResult)await function.RunAsync(HttpRequests.Post(photo.Value.Content.ToArray(), "?top=8"), Category, CancellationToken.None)).Value!;
        var cut = (all.Results[1].Distance + all.Results[2].Distance) / 2;
        var near = (SimilarProductsResponse)((OkObjectResult)await function.RunAsync(
            HttpRequests.Post(photo.Value.Content.ToArray(), FormattableString.Invariant($"?top=8&maxDistance={cut}")), Category, CancellationToken.None)).Value!;
        var similar = (SimilarProductsResponse)((OkObjectResult)await function.RunAsync(
            HttpRequests.Post(photo.Value.Content.ToArray(), FormattableString.Invariant($"?top=8&minSimilarity={1 - (cut * cut / 4)}")), Category, CancellationToken.None)).Value!;

        Assert.Equal("p5/shot-3.jpg", all.Results[0].Id);
        Assert.True(all.Results[0].NearDuplicate);
        Assert.False(all.Results[^1].NearDuplicate);
        Assert.Equal(all.Results.Take(2).Select(r => r.Id), near.Results.Select(r => r.Id));
        Assert.Equal(near.Results.Select(r => r.Id), similar.Results.Select(r => r.Id));
    }

    [Fact]
    public async Task RedeliveryOfTheSameBlobVersionWritesNothing()
    {
        var before = await _app.Table.Client.GetEntityAsync<TableEntity>(Category, "p1%2Fshot-1.jpg");
        var requestsBefore = _app.TableRequests.Count;

        await _app.Function<IndexProductImage>().RunAsync(_app.Container.GetBlobClient($"{Category}/p1/shot-1.jpg"), Category, CancellationToken.None);

        var after = await _app.Table.Client.GetEntityAsync<TableEntity>(Category, "p1%2Fshot-1.jpg");
        Assert.Equal(before.Value.ETag, after.Value.ETag);
        // One version read and nothing else: no write, no change-log row.
        Assert.Equal(2, _app.TableRequests.Count - requestsBefore);
    }

    [Fact]
    public async Task ANewBlobVersionReplacesTheVector()
    {
        var name = BlobName(2, 0);
        var old = VectorEntityCodec.FromEntity((await _app.Table.Client.GetEntityAsync<TableEntity>(Category, "p2%2Fshot-0.jpg")).Value);

        // The shop replaces the photo of product 2 by a photo of product 5.
        await UploadAndIndexAsync(name, ProductPhotoGenerator.Jpeg(5, 30));

        var current = VectorEntityCodec.FromEntity((await _app.Table.Client.GetEntityAsync<TableEntity>(Category, "p2%2Fshot-0.jpg")).Value);
        Assert.NotEqual(old.BlobETag, current.BlobETag);
        Assert.True(Distance(old.Vector, current.Vector) > 0.1, "the vector must be the new photo's");
    }

    [Fact]
    public async Task ANewImageIsReturnedWithinTheStalenessBoundWithoutReloading()
    {
        var function = _app.Function<SimilarByUpload>();
        var query = ProductPhotoGenerator.Jpeg(6, 40);
        var first = (SimilarProductsResponse)((OkObjectResult)await function.RunAsync(HttpRequests.Post(query), Category, CancellationToken.None)).Value!;
        Assert.DoesNotContain(first.Results, r => r.Id == "new/exact.jpg");

        await UploadAndIndexAsync("new/exact.jpg", query);
        _time.Advance(FunctionAppHarness.Staleness);

        var second = (SimilarProductsResponse)((OkObjectResult)await function.RunAsync(HttpRequests.Post(query), Category, CancellationToken.None)).Value!;
        Assert.Equal("new/exact.jpg", second.Results[0].Id);
        Assert.True(second.Results[0].Distance < 1e-3, $"the same photo should be at distance ~0, got {second.Results[0].Distance}");
        Assert.Equal(first.Searched + 1, second.Searched);
    }

    [Fact]
    public async Task StayingFreshCostsOneRequestWithoutChangesAndGrowsWithChangesNotSize()
    {
        var index = (await _app.Cache.GetAsync(Category, CancellationToken.None))!;
        _time.Advance(FunctionAppHarness.Staleness);
        await _app.Cache.GetAsync(Category, CancellationToken.None); // First poll re-reads the lookback window once.

        _time.Advance(FunctionAppHarness.Staleness);
        var before = _app.TableRequests.Count;
        await _app.Cache.GetAsync(Category, CancellationToken.None);
        Assert.Equal(1, _app.TableRequests.Count - before);

        // Writing two images is one version read and one transaction each; applying them is one poll plus a read each.
        await UploadAndIndexAsync("k/one.jpg", ProductPhotoGenerator.Jpeg(0, 50));
        await UploadAndIndexAsync("k/two.jpg", ProductPhotoGenerator.Jpeg(1, 51));
        _time.Advance(FunctionAppHarness.Staleness);
        before = _app.TableRequests.Count;
        await _app.Cache.GetAsync(Category, CancellationToken.None);
        Assert.Equal(1 + 2, _app.TableRequests.Count - before);
        Assert.Equal((ProductPhotoGenerator.ProductCount * ShotsPerProduct) + 2, index.Count);
    }

    [Fact]
    public async Task UnknownCategoryIsNotFoundAndBadTopIsBadRequest()
    {
        var byId = _app.Function<SimilarByImageId>();
        var missing = Assert.IsType<ObjectResult>(await byId.RunAsync(HttpRequests.Get(), "no-such-category", "x.jpg", CancellationToken.None));
        Assert.Equal(404, missing.StatusCode);
        Assert.IsType<ProblemDetails>(missing.Value);

        foreach (var query in new[] { "?top=0", "?top=101", "?top=abc", "?top=-1", "?top=4.5", "?group=shop", "?maxDistance=3", "?minSimilarity=-0.1" })
        {
            var bad = Assert.IsType<ObjectResult>(await byId.RunAsync(HttpRequests.Get(query), Category, "p0%2Fshot-0.jpg", CancellationToken.None));
            Assert.Equal(400, bad.StatusCode);
        }

        var unknownImage = Assert.IsType<ObjectResult>(await byId.RunAsync(HttpRequests.Get(), Category, "nope.jpg", CancellationToken.None));
        Assert.Equal(404, unknownImage.StatusCode);
    }

    private static string BlobName(int product, int shot) => $"p{product}/shot-{shot}.jpg";

    private async Task UploadAndIndexAsync(string name, byte[] jpeg)
    {
        var blob = _app.Container.GetBlobClient($"{Category}/{name}");
        var product = name.StartsWith('p') ? "product-" + name[1..name.IndexOf('/', StringComparison.Ordinal)] : null;
        await blob.UploadAsync(new BinaryData(jpeg), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
            Metadata = product is null ? null : new Dictionary<string, string> { ["productid"] = product },
        });
        await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
