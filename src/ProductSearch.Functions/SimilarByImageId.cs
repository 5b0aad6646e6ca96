using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Functions.Http;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>
/// More like an image that is already indexed: its stored vector, no re-extraction, itself excluded. Public, as a
/// storefront page calls it, and cacheable: the same answer for every visitor until the category changes.
/// </summary>
public sealed class SimilarByImageId(
    SimilarProductSearch search, IOptions<SearchOptions> options, IOptions<AnswerCacheOptions> caching, IOptions<ThumbnailOptions> thumbnails)
{
    public const string Route = "categories/{category}/products/{id}/similar";

    [Function(nameof(SimilarByImageId))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        string category,
        string id,
        CancellationToken cancellationToken)
    {
        if (SimilarQueryBinding.Validate(request, category, options.Value, out var query) is { } invalid)
        {
            return invalid;
        }

        if (CatalogRouteBinding.ReadImageId(id, out id) is { } invalidId)
        {
            return invalidId;
        }

        var links = ThumbnailLinks.For(request, thumbnails.Value);
        var result = await search.ByImageIdAsync(category, id, query, cancellationToken, AnswerCaching.ConditionOf(request, links.Base));
        return result.ETag is { } etag
            ? AnswerCaching.Cacheable(request, etag, caching.Value, () => SimilarQueryBinding.ToResult(result, links, category, id))
            : SimilarQueryBinding.ToResult(result, links, category, id);
    }
}
