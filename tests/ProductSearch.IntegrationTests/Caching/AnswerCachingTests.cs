using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Telemetry;

namespace ProductSearch.IntegrationTests.Caching;

/// <summary>
/// What an edge cache sees: the by-id answer, the product listing and the category list carry an entity tag that is
/// the same for identical requests on any instance and changes when the category does; a request holding the current
/// tag gets 304 without a search. Photo answers are never stored.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AnswerCachingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "cached";
    private const string Query = "?top=3";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;
    private List<string> _images = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        _images = await _app.SeedAsync(Category, shotsPerProduct: 1);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task IdenticalRequestsGetTheSameTagOnThisInstanceAndOnAnother()
    {
        await using var other = new FunctionAppHarness(azurite, _app.SameCatalogue());

        var first = await ByIdAsync(_app);
        var again = await ByIdAsync(_app);
        var elsewhere = await ByIdAsync(other);

        Assert.Equal(StatusCodes.Status200OK, first.Status);
        Assert.StartsWith("W/\"", first.ETag, StringComparison.Ordinal);
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(first.ETag, elsewhere.ETag);
        Assert.Equal((await ListingAsync(_app)).ETag, (await ListingAsync(other)).ETag);
        Assert.Equal((await CategoriesAsync(_app)).ETag, (await CategoriesAsync(other)).ETag);
        Assert.Equal("public, max-age=60, stale-while-revalidate=600", first.CacheControl);
        Assert.Equal("Origin", first.Vary);
    }

    [Fact]
    public async Task ADifferentQueryHasADifferentTag()
    {
        var top3 = await ByIdAsync(_app);
        var top2 = await ByIdAsync(_app, query: "?top=2");
        var otherImage = await ByIdAsync(_app, image: _images[1]);

        Assert.NotEqual(top3.ETag, top2.ETag);
        Assert.NotEqual(top3.ETag, otherImage.ETag);
    }

    [Fact]
    public async Task AnUploadInTheCategoryChangesTheTags()
    {
        var before = await ByIdAsync(_app);
        var listingBefore = await ListingAsync(_app);

        await _app.UploadAndIndexAsync(Category, "new/shot.jpg", ProductPhotoGenerator.Jpeg(2, 9));
        _time.Advance(FunctionAppHarness.Staleness);

        Assert.NotEqual(before.ETag, (await ByIdAsync(_app)).ETag);
        Assert.NotEqual(listingBefore.ETag, (await ListingAsync(_app)).ETag);
    }

    [Fact]
    public async Task ADeleteInTheCategoryChangesTheTags()
    {
        var before = await ByIdAsync(_app);
        var listingBefore = await ListingAsync(_app);

        var deleted = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, Uri.EscapeDataString(_images[^1]), CancellationToken.None);
        Assert.IsType<NoContentResult>(deleted);
        _time.Advance(FunctionAppHarness.Staleness);

        Assert.NotEqual(before.ETag, (await ByIdAsync(_app)).ETag);
        Assert.NotEqual(listingBefore.ETag, (await ListingAsync(_app)).ETag);
    }

    [Fact]
    public async Task ARequestHoldingTheCurrentTagGets304WithoutASearch()
    {
        var full = await ByIdAsync(_app);
        using var scans = new ScanCounter();

        var conditional = await ByIdAsync(_app, ifNoneMatch: full.ETag);
        var listing = await ListingAsync(_app);
        var listingAgain = await ListingAsync(_app, ifNoneMatch: listing.ETag);
        var categories = await CategoriesAsync(_app, ifNoneMatch: (await CategoriesAsync(_app)).ETag);

        Assert.Equal(StatusCodes.Status304NotModified, conditional.Status);
        Assert.Equal(0, scans.Count);
        Assert.Equal(full.ETag, conditional.ETag);
        Assert.Equal(full.CacheControl, conditional.CacheControl);
        Assert.Equal(StatusCodes.Status304NotModified, listingAgain.Status);
        Assert.Equal(StatusCodes.Status304NotModified, categories.Status);

        // The counter does count: the same request without the tag searches once.
        await ByIdAsync(_app);
        Assert.Equal(1, scans.Count);
    }

    [Fact]
    public async Task AnOutdatedOrStarTagIsAnsweredAsItShouldBe()
    {
        var full = await ByIdAsync(_app);

        var outdated = await ByIdAsync(_app, ifNoneMatch: "W/\"0000000000000000\"");
        var list = await ByIdAsync(_app, ifNoneMatch: $"\"other\", {full.ETag}");
        var star = await ByIdAsync(_app, ifNoneMatch: "*");

        Assert.Equal(StatusCodes.Status200OK, outdated.Status);
        Assert.Equal(StatusCodes.Status304NotModified, list.Status);
        Assert.Equal(StatusCodes.Status304NotModified, star.Status);
    }

    [Fact]
    public async Task AnUnknownImageIsNotFoundWhateverTheRequestHolds()
    {
        var result = await ByIdAsync(_app, image: "missing.jpg", ifNoneMatch: "*");

        Assert.Equal(StatusCodes.Status404NotFound, result.Status);
        Assert.Null(result.ETag);
    }

    [Fact]
    public async Task APhotoAnswerIsNeverStored()
    {
        var request = HttpRequests.Post(ProductPhotoGenerator.Jpeg(1, 5));

        var result = await _app.Function<SimilarByUpload>().RunAsync(request, Category, CancellationToken.None);

        Assert.IsType<OkObjectResult>(result);
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        Assert.Empty(request.HttpContext.Response.Headers.ETag.ToString());
    }

    private Task<Answer> ByIdAsync(FunctionAppHarness app, string? image = null, string query = Query, string? ifNoneMatch = null) =>
        RunAsync(ifNoneMatch, query, r => app.Function<SimilarByImageId>().RunAsync(r, Category, Uri.EscapeDataString(image ?? _images[0]), CancellationToken.None));

    private static Task<Answer> ListingAsync(FunctionAppHarness app, string? ifNoneMatch = null) =>
        RunAsync(ifNoneMatch, "?take=4", r => app.Function<ListCategoryProducts>().RunAsync(r, Category, CancellationToken.None));

    private static Task<Answer> CategoriesAsync(FunctionAppHarness app, string? ifNoneMatch = null) =>
        RunAsync(ifNoneMatch, "", r => app.Function<ListCategories>().RunAsync(r, CancellationToken.None));

    private static async Task<Answer> RunAsync(string? ifNoneMatch, string query, Func<HttpRequest, Task<IActionResult>> function)
    {
        var request = HttpRequests.Get(query);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch = ifNoneMatch;
        }

        var result = await function(request);
        var status = result switch
        {
            StatusCodeResult s => s.StatusCode,
            ObjectResult o => o.StatusCode ?? StatusCodes.Status200OK,
            _ => throw new Xunit.Sdk.XunitException($"Unexpected result {result.GetType().Name}."),
        };
        var headers = request.HttpContext.Response.Headers;
        return new Answer(status, headers.ETag.Count == 0 ? null : headers.ETag.ToString(), headers.CacheControl.ToString(), headers.Vary.ToString());
    }

    private sealed record Answer(int Status, string? ETag, string CacheControl, string Vary);

    /// <summary>
    /// Searches of this test's category, as the app's own trace records them: a query span carries the number of vectors
    /// it compared only when it compared some. Filtered by category, since other tests query at the same time.
    /// </summary>
    private sealed class ScanCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _count;

        public ScanCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ProductSearchTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "SimilarProducts"
                        && (string?)activity.GetTagItem(ProductSearchTelemetry.Attributes.Category) == Category
                        && activity.GetTagItem(ProductSearchTelemetry.Attributes.Vectors) is not null)
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
