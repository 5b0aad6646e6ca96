using Microsoft.AspNetCore.Mvc;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>A burst of uploads indexed in parallel while shoppers keep querying.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrentIndexingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "burst";
    private const int Uploads = 200;

    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        // Photo searches here wait for admission instead of being shed: this test is about answers while indexing runs
        // (a loaded CI run shed one at the default 1 s); shedding has its own tests and the overload benchmark.
        _app = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["Admission:MaxWait"] = "00:01:00" });
        await _app.SeedAsync(Category, shotsPerProduct: 1);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TwoHundredUploadsIndexedInParallelWhileQueriesRunAllIndexAndEveryQueryAnswers()
    {
        var blobs = await Task.WhenAll(Enumerable.Range(0, Uploads).Select(i =>
            _app.UploadAsync(Category, $"burst/{i:D3}.jpg", ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, 200 + i))));

        using var indexingDone = new CancellationTokenSource();
        var queries = Task.Run(async () =>
        {
            var answers = new List<int>();
            var upload = _app.Function<SimilarByUpload>();
            for (var i = 0; !indexingDone.IsCancellationRequested; i++)
            {
                var result = await upload.RunAsync(HttpRequests.Post(ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, 900 + i)), Category, CancellationToken.None);
                answers.Add(result is OkObjectResult { Value: SimilarProductsResponse { Results.Count: > 0 } } ? 200 : (result as ObjectResult)?.StatusCode ?? -1);
            }

            return answers;
        });

        // Several deliveries at once, as several host instances would run them.
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (blob, token) =>
            await _app.Function<IndexProductImage>().RunAsync(blob, Category, token));
        await indexingDone.CancelAsync();
        var answers = await queries;

        Assert.Equal(ProductPhotoGenerator.ProductCount + Uploads, (await _app.ImageRowsAsync(Category)).Count);
        Assert.NotEmpty(answers);
        Assert.All(answers, status => Assert.Equal(200, status));
    }
}
