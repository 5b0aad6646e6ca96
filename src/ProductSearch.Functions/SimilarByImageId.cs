using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Functions.Http;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>More like an image that is already indexed: its stored vector, no re-extraction, itself excluded.</summary>
public sealed class SimilarByImageId(SimilarProductSearch search, IOptions<SearchOptions> options, IOptions<ThumbnailOptions> thumbnails)
{
    public const string Route = "categories/{category}/products/{id}/similar";

    [Function(nameof(SimilarByImageId))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request,
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

        var result = await search.ByImageIdAsync(category, id, query, cancellationToken);
        return SimilarQueryBinding.ToResult(result, ThumbnailLinks.For(request, thumbnails.Value), category, id);
    }
}
