using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Decoding;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Decoding;

/// <summary>
/// Admission control with small limits, over HTTP through Kestrel and through the blob trigger, with real decoder
/// processes: photos beyond the bound are shed with 503 and Retry-After (never a 4xx for a valid photo), the time a
/// photo waits is not part of its decode limits, and indexing waits instead of refusing. The test holds the only
/// admission itself, so "the decoders are busy" is a state it sets, not a race it hopes to win; the app's clock is
/// fake, so the waits pass when the test moves it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AdmissionTests(AzuriteFixture azurite)
{
    private const string Category = "busy";
    private const int Burst = 4;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task PhotosBeyondTheBoundAreShedWith503AndRetryAfterThenQueuedOnesAllAnswer200()
    {
        await using var app = await SeededAppAsync(maxWait: "00:00:02");
        await using var server = await FunctionAppServer.StartAsync(app);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var admission = app.Services.GetRequiredService<DecodeAdmission>();

        var held = await admission.WaitAsync(null, CancellationToken.None);
        var shed = Enumerable.Range(0, Burst).Select(i => PostAsync(client, i)).ToList();
        await WaitUntilAsync(() => admission.Waiting == Burst, $"{Burst} photos to wait for admission");
        _time.Advance(TimeSpan.FromSeconds(2));
        foreach (var response in await Task.WhenAll(shed))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {response.Headers.RetryAfter}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        held.Dispose();
        // The same burst with the decoder free: one at a time through the single admission, and no one waits 2 s on this clock.
        foreach (var response in await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => PostAsync(client, i))))
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task APhotoThatWaitedLongerThanTheDecodeLimitsIsStillAccepted()
    {
        await using var app = await SeededAppAsync(maxWait: "00:01:00");
        await using var server = await FunctionAppServer.StartAsync(app);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var admission = app.Services.GetRequiredService<DecodeAdmission>();

        var held = await admission.WaitAsync(null, CancellationToken.None);
        var queued = PostAsync(client, 0);
        await WaitUntilAsync(() => admission.Waiting == 1, "the photo to wait for admission");
        // Longer than the wall-time limit (1 s) and the processor-time limit (0.5 s) of its decode, within the admission wait.
        _time.Advance(TimeSpan.FromSeconds(5));
        held.Dispose();

        using var response = await queued;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheBlobTriggerUnderABurstWaitsAndWritesNoFailureRowForAGoodPhoto()
    {
        await using var app = await SeededAppAsync(maxWait: "00:00:00.100");
        var admission = app.Services.GetRequiredService<DecodeAdmission>();
        var blobs = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i =>
            app.UploadAsync(Category, $"burst/{i}.jpg", ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, 300 + i))));

        var held = await admission.WaitAsync(null, CancellationToken.None);
        var deliveries = blobs.Select(blob => app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None)).ToList();
        await WaitUntilAsync(() => admission.Waiting == Burst, $"{Burst} deliveries to wait for admission");
        // Far past a photo search's wait and the decode's wall-time limit: the deliveries keep waiting.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Burst, admission.Waiting);
        held.Dispose();
        await Task.WhenAll(deliveries);

        foreach (var blob in blobs)
        {
            Assert.NotNull(await app.VectorRowAsync(Category, blob.Name[(Category.Length + 1)..]));
        }

        Assert.Empty(await app.Failures().ReadCategoryAsync(Category, CancellationToken.None));
    }

    private async Task<FunctionAppHarness> SeededAppAsync(string maxWait)
    {
        var app = new FunctionAppHarness(
            azurite,
            new Dictionary<string, string?>
            {
                ["Admission:MaxPhotos"] = "1",
                ["Admission:MaxWait"] = maxWait,
                ["Decoder:Processes"] = "1",
                ["Decoder:WallTimeout"] = "00:00:01",
                ["ImageLimits:DecodeTimeout"] = "00:00:00.500",
            },
            time: _time);
        await app.SeedAsync(Category, shotsPerProduct: 1);
        return app;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, int seed)
    {
        using var body = new ByteArrayContent(ProductPhotoGenerator.Jpeg(seed % ProductPhotoGenerator.ProductCount, 700 + seed));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return await client.PostAsync(new Uri($"{FunctionAppServer.RoutePrefix}categories/{Category}/similar?top=2", UriKind.Relative), body);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }
}
