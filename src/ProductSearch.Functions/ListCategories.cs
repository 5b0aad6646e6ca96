using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Functions.Http;
using ProductSearch.Search;

namespace ProductSearch.Functions;

/// <summary>The category folders of the images container, for the storefront's category picker. Public and cacheable.</summary>
public sealed class ListCategories(CatalogListing listing, IOptions<AnswerCacheOptions> caching)
{
    public const string Route = "categories";

    [Function(nameof(ListCategories))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var categories = await listing.ListCategoriesAsync(cancellationToken);
        return AnswerCaching.Cacheable(request, categories.ETag, caching.Value, () => new OkObjectResult(new CategoriesResponse(categories.Names)));
    }
}
