using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;
using ProductSearch.Products;
using ProductSearch.Storage;
using ProductSearch.Tooling.Statistics;

namespace ProductSearch.IntegrationTests.Products;

/// <summary>
/// Products' attributes end to end on Azurite: they arrive with the photo, are set through the admin endpoint without a
/// re-upload, reach another instance's cache through the change log within the staleness bound without inference, change
/// the answers' tags, and bad ones are refused with every reason (in a 400, or on the image's row and in stats).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProductAttributeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "cards";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        await UploadAsync("blue-main.jpg", 1, new Dictionary<string, string>
        {
            ["productid"] = "MS01-blue",
            ["title"] = "Tee%20%22Aero%22",
            ["price"] = "29.00",
            ["currency"] = "EUR",
            ["labels"] = "color=blue&instock=true",
        });
        await UploadAsync("red-main.jpg", 2, new Dictionary<string, string> { ["productid"] = "MS02-red" });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task MetadataOnUploadShowsInSimilarAnswersAndTheListing()
    {
        var similar = await SimilarAsync(_app, "red-main.jpg");
        var listing = (CategoryProductsResponse)((OkObjectResult)await _app.Function<ListCategoryProducts>()
            .RunAsync(HttpRequests.Get("?take=10"), Category, CancellationToken.None)).Value!;

        var expected = new ProductCard("Tee \"Aero\"", null, "29.00", "EUR", new Dictionary<string, string> { ["color"] = "blue", ["instock"] = "true" });
        AssertCard(expected, similar.Results.Single(r => r.ProductId == "MS01-blue").Product);
        AssertCard(expected, listing.Products.Single(p => p.ProductId == "MS01-blue").Product);
        Assert.Null(listing.Products.Single(p => p.ProductId == "MS02-red").Product);
    }

    [Fact]
    public async Task BadMetadataIsRefusedOnTheImagesRowAndInStatsWhileTheImageAndTheGoodLabelsAreTaken()
    {
        await UploadAsync("green-main.jpg", 3, new Dictionary<string, string>
        {
            ["productid"] = "MS03-green",
            ["price"] = "cheap",
            ["labels"] = "color=green&Size=XL",
        });

        var row = await _app.VectorRowAsync(Category, "green-main.jpg");
        var stats = await ActivatorUtilities.CreateInstance<CatalogStatistics>(_app.Services).ReadAsync(Category, CancellationToken.None);

        Assert.NotNull(row);
        var refused = row!.GetString(nameof(ProductVector.RefusedAttributes))!.Split('\n');
        Assert.Equal(2, refused.Length);
        Assert.Contains(refused, r => r.StartsWith("price 'cheap'", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.StartsWith("label key 'Size'", StringComparison.Ordinal));
        Assert.Equal(new ProductAttributes { Labels = new Dictionary<string, string> { ["color"] = "green" } }, await _app.Table.Products.GetAsync(Category, "MS03-green", CancellationToken.None));
        var reported = Assert.Single(stats.AttributeRefusals);
        Assert.Equal("green-main.jpg", reported.ImageId);
        Assert.Equal(refused, reported.Reasons);
        Assert.Equal(1, stats.Categories.Single().RefusedAttributes);
        Assert.Equal(3, stats.Categories.Single().VectorsByModel.Values.Sum()); // product rows are not counted as images
    }

    [Fact]
    public async Task APutReachesAnotherInstanceWithinTheStalenessBoundWithoutInference()
    {
        await using var other = new FunctionAppHarness(azurite, _app.SameCatalogue(), time: _time);
        await using var server = await FunctionAppServer.StartAsync(_app);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var before = await SimilarAsync(other, "blue-main.jpg"); // the other instance holds the category from here on
        var inferences = (_app.Services.GetRequiredService<FeatureExtractor>(), other.Services.GetRequiredService<FeatureExtractor>());
        var counts = (inferences.Item1.InferenceCount, inferences.Item2.InferenceCount);

        using var put = await http.PutAsJsonAsync(
            $"{FunctionAppServer.RoutePrefix}categories/{Category}/products/MS02-red/attributes",
            new { title = "Tee Rouge", price = "19.5", currency = "EUR", labels = new { color = "red", instock = "false" } });
        var unchangedYet = await SimilarAsync(other, "blue-main.jpg");
        _time.Advance(FunctionAppHarness.Staleness);
        var after = await SimilarAsync(other, "blue-main.jpg");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Null(before.Results.Single(r => r.ProductId == "MS02-red").Product);
        Assert.Null(unchangedYet.Results.Single(r => r.ProductId == "MS02-red").Product);
        AssertCard(
            new ProductCard("Tee Rouge", null, "19.5", "EUR", new Dictionary<string, string> { ["color"] = "red", ["instock"] = "false" }),
            after.Results.Single(r => r.ProductId == "MS02-red").Product);
        Assert.Equal(counts, (inferences.Item1.InferenceCount, inferences.Item2.InferenceCount));
    }

    [Fact]
    public async Task AChangeOfAttributesChangesTheTagsAndClearingThemGivesTheOldOnesBack()
    {
        var before = await TagAsync();
        var listingBefore = await ListingTagAsync();

        await _app.Function<SetProductAttributes>().RunAsync(
            HttpRequests.Put("""{ "labels": { "instock": "false" } }"""), Category, "MS02-red", CancellationToken.None);
        _time.Advance(FunctionAppHarness.Staleness);
        var changed = await TagAsync();
        var listingChanged = await ListingTagAsync();
        var cleared = await _app.Function<ClearProductAttributes>().RunAsync(HttpRequests.Get(), Category, "MS02-red", CancellationToken.None);
        _time.Advance(FunctionAppHarness.Staleness);

        Assert.NotEqual(before, changed);
        Assert.NotEqual(listingBefore, listingChanged);
        Assert.IsType<NoContentResult>(cleared);
        Assert.Equal(before, await TagAsync());
        Assert.Null(await _app.Table.Products.GetAsync(Category, "MS02-red", CancellationToken.None));
    }

    [Theory]
    [InlineData("""{ "title": "", "price": "1,5", "currency": "eur", "labels": { "Color": "red", "size": " L" } }""", 5)]
    [InlineData("""{ "currency": "EUR" }""", 1)]
    public async Task APutThatBreaksRulesIs400WithEveryReason(string body, int reasons)
    {
        await using var server = await FunctionAppServer.StartAsync(_app);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await http.PutAsync(
            $"{FunctionAppServer.RoutePrefix}categories/{Category}/products/MS02-red/attributes", new StringContent(body, Encoding.UTF8, "application/json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reasons, problem.RootElement.GetProperty("errors").GetArrayLength());
        Assert.Null(await _app.Table.Products.GetAsync(Category, "MS02-red", CancellationToken.None));
    }

    [Theory]
    [InlineData("""{ "titel": "typo" }""")]
    [InlineData("""{ "price": 29.0 }""")]
    [InlineData("not json")]
    public async Task ABodyThatIsNoAttributesIs400(string body)
    {
        var result = await _app.Function<SetProductAttributes>().RunAsync(HttpRequests.Put(body), Category, "MS02-red", CancellationToken.None);

        Assert.Equal(400, Assert.IsType<ObjectResult>(result).StatusCode);
    }

    [Fact]
    public async Task AttributesSetBeforeThePhotoAreThereWhenItArrivesAndSurviveReconciliationAndTrim()
    {
        await _app.Function<SetProductAttributes>().RunAsync(
            HttpRequests.Put("""{ "title": "Coming soon" }"""), Category, "MS04-black", CancellationToken.None);
        await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileCategoryAsync(Category, CancellationToken.None);
        _time.Advance(_app.Table.ChangeLog.Retention + TimeSpan.FromHours(1));
        await _app.Table.ChangeLog.TrimAsync(Category, CancellationToken.None);

        await UploadAsync("black-main.jpg", 4, new Dictionary<string, string> { ["productid"] = "MS04-black", ["price"] = "9" });
        var answer = await SimilarAsync(_app, "blue-main.jpg");

        AssertCard(new ProductCard("Coming soon", null, "9", null, null), answer.Results.Single(r => r.ProductId == "MS04-black").Product);
    }

    private async Task UploadAsync(string name, int product, Dictionary<string, string> metadata)
    {
        var blob = _app.Container.GetBlobClient($"{Category}/{name}");
        await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, 0)), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
            Metadata = metadata,
        });
        await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
    }

    private static async Task<SimilarProductsResponse> SimilarAsync(FunctionAppHarness app, string imageId) =>
        (SimilarProductsResponse)((OkObjectResult)await app.Function<SimilarByImageId>()
            .RunAsync(HttpRequests.Get("?top=10"), Category, imageId, CancellationToken.None)).Value!;

    private async Task<string> TagAsync()
    {
        var request = HttpRequests.Get("?top=10");
        await _app.Function<SimilarByImageId>().RunAsync(request, Category, "blue-main.jpg", CancellationToken.None);
        return request.HttpContext.Response.Headers.ETag.ToString();
    }

    private async Task<string> ListingTagAsync()
    {
        var request = HttpRequests.Get("?take=10");
        await _app.Function<ListCategoryProducts>().RunAsync(request, Category, CancellationToken.None);
        return request.HttpContext.Response.Headers.ETag.ToString();
    }

    private static void AssertCard(ProductCard expected, ProductCard? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Labels = null }, actual with { Labels = null });
        Assert.Equal(expected.Labels?.OrderBy(l => l.Key), actual.Labels?.OrderBy(l => l.Key));
    }
}
