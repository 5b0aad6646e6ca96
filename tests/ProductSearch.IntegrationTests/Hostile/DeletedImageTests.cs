using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>A deleted photo stops being returned: on the next reconciliation, or at once through the DELETE endpoint.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeletedImageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "deletes";

    // The app's clock: a test passes the staleness bound by moving it, not by waiting for it.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        await _app.SeedAsync(Category);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ReconciliationRemovesTheVectorOfADeletedBlobAndQueriesStopReturningIt()
    {
        var photo = ProductPhotoGenerator.Jpeg(4, 77);
        var blob = await _app.UploadAndIndexAsync(Category, "gone/soon.jpg", photo);
        Assert.Equal("gone/soon.jpg", (await TopResultForAsync(photo)).Id);
        var rowsBefore = (await _app.ImageRowsAsync(Category)).Count;

        await blob.DeleteAsync();
        await _app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);
        _time.Advance(FunctionAppHarness.Staleness);

        Assert.Null(await _app.VectorRowAsync(Category, "gone/soon.jpg"));
        Assert.Equal(rowsBefore - 1, (await _app.ImageRowsAsync(Category)).Count);
        Assert.NotEqual("gone/soon.jpg", (await TopResultForAsync(photo)).Id);
    }

    [Fact]
    public async Task ReconciliationLeavesImagesWhoseBlobExists()
    {
        var rowsBefore = (await _app.ImageRowsAsync(Category)).Count;

        await _app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal(rowsBefore, (await _app.ImageRowsAsync(Category)).Count);
    }

    [Fact]
    public async Task ReconciliationClearsTheFailureRowOfADeletedRejectedBlob()
    {
        var blob = await _app.UploadAndIndexAsync(Category, "gone/bad.jpg", HostileImageCorpus.Get("zero-bytes.jpg").Bytes);
        Assert.NotNull(await _app.Failures().GetAsync(Category, "gone/bad.jpg", CancellationToken.None));

        await blob.DeleteAsync();
        await _app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Null(await _app.Failures().GetAsync(Category, "gone/bad.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteEndpointRemovesBlobAndVectorAtOnce()
    {
        var photo = ProductPhotoGenerator.Jpeg(6, 66);
        var blob = await _app.UploadAndIndexAsync(Category, "gone/now.jpg", photo);
        Assert.Equal("gone/now.jpg", (await TopResultForAsync(photo)).Id);

        var result = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, Uri.EscapeDataString("gone/now.jpg"), CancellationToken.None);
        _time.Advance(FunctionAppHarness.Staleness);

        Assert.IsType<NoContentResult>(result);
        Assert.False((await blob.ExistsAsync()).Value);
        Assert.Null(await _app.VectorRowAsync(Category, "gone/now.jpg"));
        Assert.NotEqual("gone/now.jpg", (await TopResultForAsync(photo)).Id);
    }

    [Fact]
    public async Task DeleteEndpointOfAnImageThatNeverExistedIsNotFound()
    {
        var result = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, "never.jpg", CancellationToken.None);

        var problem = Assert.IsType<ObjectResult>(result);
        Assert.Equal(404, problem.StatusCode);
        Assert.IsType<ProblemDetails>(problem.Value);
    }

    [Fact]
    public async Task DeleteEndpointRemovesAVectorWhoseBlobIsAlreadyGone()
    {
        var blob = await _app.UploadAndIndexAsync(Category, "gone/orphan.jpg", ProductPhotoGenerator.Jpeg(2, 55));
        await blob.DeleteAsync();

        var result = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, Uri.EscapeDataString("gone/orphan.jpg"), CancellationToken.None);

        Assert.IsType<NoContentResult>(result);
        Assert.Null(await _app.VectorRowAsync(Category, "gone/orphan.jpg"));
    }

    private async Task<SimilarProductItem> TopResultForAsync(byte[] photo)
    {
        var result = await _app.Function<SimilarByUpload>().RunAsync(HttpRequests.Post(photo, "?top=1"), Category, CancellationToken.None);
        return Assert.Single(Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value).Results);
    }
}
