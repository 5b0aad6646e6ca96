using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ProductSearch.Functions.Http;
using ProductSearch.Search;

namespace ProductSearch.Functions;

/// <summary>The category folders of the images container, for the storefront's category picker.</summary>
public sealed class ListCategories(CatalogListing listing)
{
    public const string Route = "categories";

    [Function(nameof(ListCategories))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var categories = await listing.ListCategoriesAsync(cancellationToken);
        return new OkObjectResult(new CategoriesResponse(categories));
    }
}
