using Azure.Storage.Blobs;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;
using ProductSearch.Search;
using ProductSearch.Storage;
using Xunit.Abstractions;

namespace ProductSearch.IntegrationTests.Wiring;

/// <summary>
/// End to end with the real blob-trigger engine: the WebJobs blob extension that the Functions host
/// loads for this app polls Azurite, resolves the same path and connection, and delivers the upload to
/// the same indexer the function class calls. Nobody invokes the function by hand here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobTriggerEngineTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    /// <summary>How long without a single table write counts as the polling trigger having delivered all it will.</summary>
    private static readonly TimeSpan QuietTrigger = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnUploadedPhotoIsDeliveredIndexedAndQueryable()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.Client.CreateIfNotExistsAsync(); // So that counting rows before the first write finds none, not no table.
        // Uploaded before the engine starts, so its first scan lists all six: a scan made while the uploads land can set its
        // high-water mark in their second and never deliver the rest (it did, in a loaded CI run). Reconciliation repairs
        // that in the product, and the burst tests below measure it; this test is about one delivery, end to end.
        for (var product = 0; product < 3; product++)
        {
            for (var shot = 0; shot < 2; shot++)
            {
                await app.Container.GetBlobClient($"tees/p{product}-{shot}.jpg").UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, shot)));
            }
        }

        using var host = BlobTriggerHost(app);
        await host.StartAsync();
        try
        {
            // Each delivery ends in a table write: re-check after each one rather than every so often. A timeout names
            // the photos that did arrive.
            List<string> indexed = [];
            await app.WaitUntilAsync(
                async () => (indexed = [.. (await app.ImageRowsAsync("tees")).Select(r => r.RowKey)]).Count == 6,
                () => $"the trigger indexed all six photos (it had indexed {indexed.Count}: {string.Join(", ", indexed)})",
                TimeSpan.FromSeconds(90));
            var search = app.Services.GetRequiredService<SimilarProductSearch>();
            var result = await search.ByImageIdAsync("tees", "p1-0.jpg", new SimilarityQuery(1), CancellationToken.None);

            Assert.Equal(6, result.Products?.Searched);
            Assert.Equal("p1-1.jpg", Assert.Single(result.Products!.Results).Id);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// A burst on the polling trigger, which can lose blobs written in the second of its scan (seen under the real
    /// Functions host; this in-process engine loses few or none): reconciliation finds what it missed, so every
    /// blob ends with exactly one vector, written once, whoever indexed it.
    /// </summary>
    [Fact]
    public Task ABurstOf200BlobsIn4CategoriesOnThePollingTriggerEndsWithEveryBlobIndexedExactlyOnce() =>
        BurstAsync(typeof(IndexProductImageJob), triggerDelivers: true);

    /// <summary>
    /// The same burst when no delivery arrives, as when Event Grid deliveries fail or dead-letter in Azure (Azurite
    /// has no Event Grid, so the Event Grid trigger sees nothing): reconciliation alone indexes all 200. With
    /// <c>Reconcile:RepairMissed</c> off this test fails with no blob indexed.
    /// </summary>
    [Fact]
    public Task ABurstOf200BlobsWhoseEventsAreLostEndsWithEveryBlobIndexedExactlyOnce() =>
        BurstAsync(typeof(IndexProductImageEventGridJob), triggerDelivers: false);

    private async Task BurstAsync(Type job, bool triggerDelivers)
    {
        const int PerCategory = 50;
        string[] categories = ["burst-a", "burst-b", "burst-c", "burst-d"];
        // Reconciliation leaves blobs younger than its grace period to the trigger; its clock is moved past it only
        // when the trigger has nothing more to deliver, instead of the test waiting the period out.
        var gracePeriod = TimeSpan.FromSeconds(10);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FunctionAppHarness(
            azurite, new Dictionary<string, string?> { ["Reconcile:RepairGracePeriod"] = gracePeriod.ToString() }, time: clock);
        var photos = Enumerable.Range(0, PerCategory).Select(i => ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, i)).ToArray();
        await app.Table.Client.CreateIfNotExistsAsync(); // So that counting rows before the first write finds none, not no table.
        using var host = BlobTriggerHost(app, job);
        await host.StartAsync();
        try
        {
            if (triggerDelivers)
            {
                // One blob per category first, so the trigger has scanned and holds a high-water mark when the burst lands.
                foreach (var category in categories)
                {
                    await app.Container.GetBlobClient($"{category}/first.jpg").UploadAsync(new BinaryData(photos[0]));
                }

                await app.WaitUntilAsync(
                    async () => await CountRowsAsync(app, categories) == categories.Length, () => "the trigger indexed the first blobs", TimeSpan.FromMinutes(3));
            }

            var first = triggerDelivers ? 1 : 0;
            var burst = categories.SelectMany(c => Enumerable.Range(first, PerCategory - first).Select(i => (Name: $"{c}/shot-{i:D3}.jpg", Photo: photos[i]))).ToList();
            await Task.WhenAll(burst.Select(b => app.Container.GetBlobClient(b.Name).UploadAsync(new BinaryData(b.Photo))));
            var modified = await app.Container.GetBlobsAsync().Where(b => b.Name.Contains("/shot-", StringComparison.Ordinal))
                .Select(b => b.Properties.LastModified!.Value).ToListAsync();
            output.WriteLine($"burst of {burst.Count} blobs written within {(modified.Max() - modified.Min()).TotalSeconds:0.0} s (LastModified spread)");

            // Reconciliation as the timer runs it, after every write and whenever the trigger has gone quiet, until nothing is missing.
            var reconciler = app.Services.GetRequiredService<CatalogReconciler>();
            var (repaired, indexedRows) = (0, 0);
            var expected = categories.Length * PerCategory;
            using var expiry = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (true)
            {
                var written = app.TableRequests.NextAnsweredWriteAsync();
                var report = await reconciler.ReconcileAsync(CancellationToken.None);
                repaired += report.MissedIndexed;
                indexedRows = await CountRowsAsync(app, categories);
                if (indexedRows == expected)
                {
                    break;
                }

                Assert.False(expiry.IsCancellationRequested, $"Timed out: {indexedRows} of {expected} blobs have a vector row.");
                if (!triggerDelivers || !await WrittenWithinAsync(written, QuietTrigger))
                {
                    // No delivery is coming (lost events) or none came for a while: the blobs left are the trigger's misses.
                    clock.Advance(gracePeriod + TimeSpan.FromSeconds(1));
                }
            }

            output.WriteLine($"the trigger indexed {(categories.Length * PerCategory) - repaired} of {categories.Length * PerCategory} blobs, reconciliation {repaired}");

            foreach (var category in categories)
            {
                var rows = await app.ImageRowsAsync(category);
                Assert.Equal(PerCategory, rows.Count);
                Assert.Equal(PerCategory, rows.Select(r => r.GetString(nameof(ProductVector.ImageId))).Distinct().Count());

                // One change-log row per image: no blob was written twice, by the trigger and the repair or by either twice.
                Assert.Equal(PerCategory, (await app.ChangeLogRowsAsync(category)).Count);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<int> CountRowsAsync(FunctionAppHarness app, string[] categories)
    {
        var total = 0;
        foreach (var category in categories)
        {
            total += (await app.ImageRowsAsync(category)).Count;
        }

        return total;
    }

    private static async Task<bool> WrittenWithinAsync(Task written, TimeSpan quiet)
    {
        try
        {
            await written.WaitAsync(quiet);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The WebJobs host with the blob extension, polling the harness's container with the harness's indexer.</summary>
    private IHost BlobTriggerHost(FunctionAppHarness app, Type? job = null) => new HostBuilder()
        .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["ProductStorage"] = azurite.ConnectionString,
            ["Storage:ImagesContainer"] = app.ContainerName,
        }))
        .ConfigureWebJobs(b => b.AddAzureStorageBlobs())
        .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(new TestOutputLogger(output)))
        .ConfigureServices(s =>
        {
            s.AddSingleton(app.Services.GetRequiredService<ProductImageIndexer>());
            s.AddSingleton<ITypeLocator>(new JobTypes(job ?? typeof(IndexProductImageJob)));
        })
        .Build();

    /// <summary>The same trigger declaration as the function class, on the WebJobs engine.</summary>
    public sealed class IndexProductImageJob(ProductImageIndexer indexer)
    {
        [FunctionName("IndexProductImage")]
        public Task RunAsync(
            [BlobTrigger(Functions.IndexProductImage.BlobPath, Connection = "ProductStorage")] BlobClient blob,
            CancellationToken cancellationToken) => indexer.IndexAsync(blob, cancellationToken);
    }

    /// <summary>The Azure build's trigger: deliveries come from Event Grid only.</summary>
    public sealed class IndexProductImageEventGridJob(ProductImageIndexer indexer)
    {
        [FunctionName("IndexProductImage")]
        public Task RunAsync(
            [BlobTrigger(Functions.IndexProductImage.BlobPath, Connection = "ProductStorage", Source = BlobTriggerSource.EventGrid)] BlobClient blob,
            CancellationToken cancellationToken) => indexer.IndexAsync(blob, cancellationToken);
    }

    private sealed class JobTypes(params Type[] types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }

    /// <summary>The engine's warnings and errors (a failed delivery, a poisoned message) in the test's output.</summary>
    private sealed class TestOutputLogger(ITestOutputHelper output) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{logLevel}: {formatter(state, exception)} {exception}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended: a host still stopping has nowhere left to write.
            }
        }

        public void Dispose()
        {
        }
    }
}
