using Azure.Storage.Blobs;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Search;

namespace ProductSearch.IntegrationTests.Wiring;

/// <summary>
/// End to end with the real blob-trigger engine: the WebJobs blob extension that the Functions host
/// loads for this app polls Azurite, resolves the same path and connection, and delivers the upload to
/// the same indexer the function class calls. Nobody invokes the function by hand here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobTriggerEngineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AnUploadedPhotoIsDeliveredIndexedAndQueryable()
    {
        await using var app = new FunctionAppHarness(azurite);
        using var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ProductStorage"] = azurite.ConnectionString,
                ["Storage:ImagesContainer"] = app.ContainerName,
            }))
            .ConfigureWebJobs(b => b.AddAzureStorageBlobs())
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(s =>
            {
                s.AddSingleton(app.Services.GetRequiredService<ProductImageIndexer>());
                s.AddSingleton<ITypeLocator>(new JobTypes(typeof(IndexProductImageJob)));
            })
            .Build();
        await host.StartAsync();
        try
        {
            for (var product = 0; product < 3; product++)
            {
                for (var shot = 0; shot < 2; shot++)
                {
                    await app.Container.GetBlobClient($"tees/p{product}-{shot}.jpg").UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, shot)));
                }
            }

            var search = app.Services.GetRequiredService<SimilarProductSearch>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            SimilarProductsResult result;
            do
            {
                await Task.Delay(500);
                result = await search.ByImageIdAsync("tees", "p1-0.jpg", new SimilarityQuery(1), CancellationToken.None);
            }
            while ((result.Products?.Searched ?? 0) < 6 && DateTime.UtcNow < deadline);

            Assert.Equal(6, result.Products?.Searched);
            Assert.Equal("p1-1.jpg", Assert.Single(result.Products!.Results).Id);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The same trigger declaration as the function class, on the WebJobs engine.</summary>
    public sealed class IndexProductImageJob(ProductImageIndexer indexer)
    {
        [FunctionName("IndexProductImage")]
        public Task RunAsync(
            [BlobTrigger(Functions.IndexProductImage.BlobPath, Connection = "ProductStorage")] BlobClient blob,
            CancellationToken cancellationToken) => indexer.IndexAsync(blob, cancellationToken);
    }

    private sealed class JobTypes(params Type[] types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }
}
