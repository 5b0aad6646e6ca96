using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Functions.Http;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>A page of a category's products (main image and photo count), in product-id order, for the storefront's grid (empty when it has none). Public and cacheable.</summary>
public sealed class ListCategoryProducts(CatalogListing listing, IOptions<AnswerCacheOptions> caching, IOptions<ThumbnailOptions> thumbnails)
{
    public const string Route = "categories/{category}/products";

    [Function(nameof(ListCategoryProducts))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        string category,
        CancellationToken cancellationToken)
    {
        if (ProductPageBinding.Validate(request, category, out var skip, out var take) is { } invalid)
        {
            return invalid;
        }

        var links = ThumbnailLinks.For(request, thumbnails.Value);
        var page = await listing.ListProductsAsync(category, skip, take, cancellationToken, links.Base);
        return AnswerCaching.Cacheable(request, page.ETag, caching.Value, () => new OkObjectResult(CategoryProductsResponse.From(page, take, links)));
    }
}
