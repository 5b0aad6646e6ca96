using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>Storage goes away in the middle of a batch; the host's retries must leave every image indexed exactly once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "outage";
    private const int BatchSize = 24;

    // host.json extensions.blobs.poisonBlobThreshold: the host tries a blob this often before parking it.
    private const int PoisonBlobThreshold = 5;

    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        // The tables exist before the outage, as they do in production.
        await _app.UploadAndIndexAsync(Category, "before.jpg", ProductPhotoGenerator.Jpeg(0, 0));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OutageMidBatchThenHostRetriesIndexEveryImageExactlyOnce()
    {
        var blobs = new List<Azure.Storage.Blobs.BlobClient>();
        for (var i = 0; i < BatchSize; i++)
        {
            blobs.Add(await _app.UploadAsync(Category, $"batch/{i:D2}.jpg", ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, 100 + i)));
        }

        var attempts = blobs.ToDictionary(b => b.Name, _ => 0);
        var batchWrites = _app.TableRequests.NextWriteAsync();
        var firstRound = blobs.Select(b => DeliverAsync(b, attempts)).ToList();
        await batchWrites.WaitAsync(TimeSpan.FromMinutes(1)); // Storage goes the moment the batch first writes: mid-batch, whatever the machine's speed.
        await AzuriteOutage.StopGracefullyAsync(azurite);
        var outcomes = await Task.WhenAll(firstRound);
        var failed = blobs.Where((_, i) => !outcomes[i]).ToList();
        await azurite.StartAsync();

        // The host dequeues a failed blob again until it succeeds or reaches the poison threshold.
        for (var round = 2; round <= PoisonBlobThreshold && failed.Count > 0; round++)
        {
            var retried = await Task.WhenAll(failed.Select(b => DeliverAsync(b, attempts)));
            failed = failed.Where((_, i) => !retried[i]).ToList();
        }

        Assert.Empty(failed);
        Assert.Contains(attempts.Values, a => a > 1); // The outage did hit the batch.
        var rows = await _app.ImageRowsAsync(Category);
        Assert.Equal(BatchSize + 1, rows.Count);
        foreach (var blob in blobs)
        {
            var imageId = blob.Name[(Category.Length + 1)..];
            var row = Assert.Single(rows, r => r.GetString(nameof(ProductVector.ImageId)) == imageId);
            Assert.Equal((await blob.ETagOfAsync()).ToString(), row.GetString(nameof(ProductVector.BlobETag)));
        }

        // Exactly once: one write in the change log per image, however many deliveries it took.
        var writes = (await _app.ChangeLogRowsAsync(Category)).GroupBy(r => r.GetString("ImageId")).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(blobs, b => Assert.Equal(1, writes[b.Name[(Category.Length + 1)..]]));
    }

    /// <summary>One delivery as the host makes it: true when the function returned, false when it threw.</summary>
    private async Task<bool> DeliverAsync(Azure.Storage.Blobs.BlobClient blob, Dictionary<string, int> attempts)
    {
        lock (attempts)
        {
            attempts[blob.Name]++;
        }

        try
        {
            await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
            return true;
        }
#pragma warning disable CA1031 // The host catches everything a function throws and retries it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
