using ProductSearch.Functions;
using ProductSearch.Imaging;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>Redeliveries, racing versions and rejected versions: the table always ends with the newest blob version's truth.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IndexingIdempotencyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "races";

    private FunctionAppHarness _app = null!;

    public Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task SameVersionDeliveredTwiceAtOnceLeavesOneRowAndOneLogEntry()
    {
        var blob = await _app.UploadAsync(Category, "twice.jpg", ProductPhotoGenerator.Jpeg(1, 1));

        await Task.WhenAll(Deliver(blob), Deliver(blob));

        Assert.Single(await _app.ImageRowsAsync(Category));
        Assert.Single(await _app.ChangeLogRowsAsync(Category));
    }

    [Fact]
    public async Task TwoVersionsRacingEndWithTheNewerVersionIndexed()
    {
        const int Rounds = 12;
        var blobs = new List<Azure.Storage.Blobs.BlobClient>();
        await Task.WhenAll(Enumerable.Range(0, Rounds).Select(async round =>
        {
            var blob = await _app.UploadAsync(Category, $"race/{round}.jpg", ProductPhotoGenerator.Jpeg(0, round));
            lock (blobs)
            {
                blobs.Add(blob);
            }

            // The old version's delivery runs while the shop replaces the photo and its own delivery runs.
            var oldDelivery = Deliver(blob);
            for (var yielded = 0; yielded < round; yielded++)
            {
                await Task.Yield(); // Each round lets the old delivery run a little further before the new upload: varied interleavings, no clock.
            }

            await _app.UploadAsync(Category, $"race/{round}.jpg", ProductPhotoGenerator.Jpeg(5, round));
            await Task.WhenAll(oldDelivery, Deliver(blob));
        }));

        var extractor = (Features.FeatureExtractor)_app.Services.GetService(typeof(Features.FeatureExtractor))!;
        foreach (var blob in blobs)
        {
            var row = await _app.VectorRowAsync(Category, blob.Name[(Category.Length + 1)..]);
            Assert.NotNull(row);
            Assert.Equal((await blob.ETagOfAsync()).ToString(), row.GetString(nameof(ProductVector.BlobETag)));
            using var newest = (await blob.DownloadStreamingAsync()).Value.Content;
            var expected = await extractor.ExtractAsync(newest, CancellationToken.None);
            var stored = VectorEntityCodec.FromEntity(row).Vector;
            Assert.True(expected.Zip(stored, (a, b) => Math.Abs(a - b)).Max() < 1e-4, $"{blob.Name} holds the older photo's vector");
        }
    }

    [Fact]
    public async Task ARejectedImageFixedByANewVersionLosesItsFailureRow()
    {
        await _app.UploadAndIndexAsync(Category, "fixed.jpg", HostileImageCorpus.Get("text-named.jpg").Bytes);
        Assert.Equal(nameof(ImageRejectionReason.NotAnImage), (await _app.Failures().GetAsync(Category, "fixed.jpg", CancellationToken.None))?.Reason);

        await _app.UploadAndIndexAsync(Category, "fixed.jpg", ProductPhotoGenerator.Jpeg(2, 2));

        Assert.NotNull(await _app.VectorRowAsync(Category, "fixed.jpg"));
        Assert.Null(await _app.Failures().GetAsync(Category, "fixed.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task ACorruptNewVersionRemovesTheOlderVersionsVector()
    {
        await _app.UploadAndIndexAsync(Category, "broken.jpg", ProductPhotoGenerator.Jpeg(3, 3));
        Assert.NotNull(await _app.VectorRowAsync(Category, "broken.jpg"));

        await _app.UploadAndIndexAsync(Category, "broken.jpg", HostileImageCorpus.Get("truncated.jpg").Bytes);

        Assert.Null(await _app.VectorRowAsync(Category, "broken.jpg"));
        Assert.Equal(nameof(ImageRejectionReason.Truncated), (await _app.Failures().GetAsync(Category, "broken.jpg", CancellationToken.None))?.Reason);
    }

    private Task Deliver(Azure.Storage.Blobs.BlobClient blob) =>
        _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
}
