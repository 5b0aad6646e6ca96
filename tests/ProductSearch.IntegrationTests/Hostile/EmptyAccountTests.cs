using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// A fresh storage account, before the first upload: no images container, no vectors or failures table.
/// Listings answer empty, lookups 404 with a problem body, maintenance does nothing; never a 500.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EmptyAccountTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FunctionAppHarness _app = null!;

    public Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, createContainer: false);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CategoriesAreAnEmptyListBeforeTheContainerExists()
    {
        Assert.False(await _app.Container.ExistsAsync());

        var result = await _app.Function<ListCategories>().RunAsync(HttpRequests.Get(), CancellationToken.None);

        var body = Assert.IsType<CategoriesResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Empty(body.Categories);
    }

    [Fact]
    public async Task ProductsOfACategoryAreAnEmptyPageBeforeAnyTableExists()
    {
        var result = await _app.Function<ListCategoryProducts>().RunAsync(HttpRequests.Get("?take=10"), "shoes", CancellationToken.None);

        var page = Assert.IsType<CategoryProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(("shoes", 0, 0, 0), (page.Category, page.Total, page.Images, page.Skip));
        Assert.Empty(page.Products);
    }

    [Fact]
    public async Task LookupsAndDeletesAreNotFoundProblems()
    {
        var answers = new Dictionary<string, IActionResult>
        {
            ["similar by id"] = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get(), "shoes", "a.jpg", CancellationToken.None),
            ["similar by upload"] = await _app.Function<SimilarByUpload>().RunAsync(
                HttpRequests.Post(ProductPhotoGenerator.Jpeg(0, 0)), "shoes", CancellationToken.None),
            ["delete"] = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), "shoes", "a.jpg", CancellationToken.None),
        };

        Assert.All(answers, answer =>
        {
            var problem = Assert.IsType<ObjectResult>(answer.Value);
            Assert.True(problem is { StatusCode: 404, Value: ProblemDetails }, $"{answer.Key}: {problem.StatusCode} {problem.Value}");
        });
    }

    [Fact]
    public async Task ReconciliationOfAnEmptyAccountDoesNothingAndCreatesNothing()
    {
        await _app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.False(await _app.Container.ExistsAsync());
        var tables = _app.Services.GetRequiredService<TableServiceClient>();
        Assert.Empty(await tables.QueryAsync(t => t.Name == _app.TableName || t.Name == _app.FailuresTableName).ToListAsync());
    }
}
