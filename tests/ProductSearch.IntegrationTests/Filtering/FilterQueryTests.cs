using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Filtering;

/// <summary><c>filter=</c> on the similarity endpoints: only matching products, a 400 naming the error's position, a warning for a key no product has.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FilterQueryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "filtered";
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        for (var product = 0; product < 6; product++)
        {
            // Even products in stock; product 5 has no labels at all.
            var metadata = new Dictionary<string, string> { ["productid"] = $"p{product}" };
            if (product < 5)
            {
                metadata["labels"] = $"instock={(product % 2 == 0 ? "true" : "false")}&color={(product < 3 ? "red" : "blue")}";
            }

            var blob = _app.Container.GetBlobClient($"{Category}/p{product}.jpg");
            await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(product, 0)), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                Metadata = metadata,
            });
            await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ByIdAndByPhotoAnswerOnlyMatchingProducts()
    {
        var byId = (SimilarProductsResponse)((OkObjectResult)await _app.Function<SimilarByImageId>()
            .RunAsync(HttpRequests.Get("?top=10&filter=" + Uri.EscapeDataString("instock = true")), Category, "p1.jpg", CancellationToken.None)).Value!;
        var byPhoto = (SimilarProductsResponse)((OkObjectResult)await _app.Function<SimilarByUpload>()
            .RunAsync(HttpRequests.Post(ProductPhotoGenerator.Jpeg(1, 1), "?top=10&filter=" + Uri.EscapeDataString("color = red OR color = blue AND instock = false")), Category, CancellationToken.None)).Value!;

        Assert.Equal(["p0", "p2", "p4"], byId.Results.Select(r => r.ProductId).Order(StringComparer.Ordinal));
        Assert.Equal(3, byId.Searched);
        Assert.Empty(byId.Warnings);
        Assert.Equal(["p1", "p3"], byPhoto.Results.Select(r => r.ProductId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AMalformedFilterIsA400NamingThePosition()
    {
        var result = (ObjectResult)await _app.Function<SimilarByImageId>()
            .RunAsync(HttpRequests.Get("?filter=" + Uri.EscapeDataString("color red")), Category, "p1.jpg", CancellationToken.None);

        var problem = Assert.IsType<ProblemDetails>(result.Value);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Invalid filter", problem.Title);
        Assert.Contains("position 6", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyNoProductHasAnswersNothingAndSaysSo()
    {
        var answer = (SimilarProductsResponse)((OkObjectResult)await _app.Function<SimilarByImageId>()
            .RunAsync(HttpRequests.Get("?filter=" + Uri.EscapeDataString("colour = red")), Category, "p1.jpg", CancellationToken.None)).Value!;

        Assert.Empty(answer.Results);
        Assert.Contains("'colour'", Assert.Single(answer.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFilteredAnswerHasATagOfItsOwn()
    {
        var plain = HttpRequests.Get("?top=3");
        var filtered = HttpRequests.Get("?top=3&filter=" + Uri.EscapeDataString("instock = true"));
        var respaced = HttpRequests.Get("?top=3&filter=" + Uri.EscapeDataString("instock=true"));
        foreach (var request in new[] { plain, filtered, respaced })
        {
            await _app.Function<SimilarByImageId>().RunAsync(request, Category, "p1.jpg", CancellationToken.None);
        }

        Assert.NotEqual(plain.HttpContext.Response.Headers.ETag.ToString(), filtered.HttpContext.Response.Headers.ETag.ToString());
        // Filters that mean the same share a tag (and so an edge cache's entry).
        Assert.Equal(filtered.HttpContext.Response.Headers.ETag.ToString(), respaced.HttpContext.Response.Headers.ETag.ToString());
    }
}
