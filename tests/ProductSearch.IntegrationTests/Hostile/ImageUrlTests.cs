using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>The <c>imageUrl</c> of an answer is a URL a browser loads as it stands, whatever characters the image's name holds.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ImageUrlTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "urls";

    // A trailing space (ToString() left it raw, and a browser trims it), '#' and '?' (fragment and query if raw),
    // '%' (an escape if raw), an inner space and a letter outside ASCII.
    private static readonly string[] Names = ["plain.jpg", "ends in a space.jpg ", "a#1?b%41 é.jpg"];

    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        await _app.Container.SetAccessPolicyAsync(PublicAccessType.Blob); // as the storefront's thumbnails need
        for (var i = 0; i < Names.Length; i++)
        {
            await _app.UploadAndIndexAsync(Category, Names[i], ProductPhotoGenerator.Jpeg(i, 0));
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryImageUrlInAnAnswerLoadsThatImagesBytes()
    {
        var result = await _app.Function<SimilarByImageId>().RunAsync(
            HttpRequests.Get("?top=10&group=image"), Category, Uri.EscapeDataString(Names[0]), CancellationToken.None);

        var answer = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(Names[1..].Order(StringComparer.Ordinal), answer.Results.Select(r => r.Id).Order(StringComparer.Ordinal));
        using var browser = new HttpClient();
        foreach (var image in answer.Results)
        {
            // The string as a page would put it in <img src>: parsed as it is, nothing escaped or trimmed for it.
            using var response = await browser.GetAsync(new Uri(image.ImageUrl));
            Assert.True(response.IsSuccessStatusCode, $"{image.ImageUrl}: {(int)response.StatusCode}");
            var expected = (await _app.Container.GetBlobClient($"{Category}/{image.Id}").DownloadContentAsync()).Value.Content.ToArray();
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
        }
    }
}
