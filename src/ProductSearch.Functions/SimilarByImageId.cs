using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Functions.Http;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>More like an image that is already indexed: its stored vector, no re-extraction, itself excluded.</summary>
public sealed class SimilarByImageId(SimilarProductSearch search, IOptions<SearchOptions> options)
{
    public const string Route = "categories/{category}/products/{id}/similar";

    [Function(nameof(SimilarByImageId))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequest request,
        string category,
        string id,
        CancellationToken cancellationToken)
    {
        if (SimilarRequest.Validate(request, category, options.Value, out var query) is { } invalid)
        {
            return invalid;
        }

        // Nested image names arrive URL-encoded ('%2F'), which routing leaves as is.
        id = Uri.UnescapeDataString(id);
        if (!CatalogNames.IsValidImageId(id))
        {
            return ApiProblems.BadRequest($"Image id must be 1 to {CatalogNames.MaxImageIdLength} characters without control characters or '\\'.");
        }

        var result = await search.ByImageIdAsync(category, id, query, cancellationToken);
        return SimilarRequest.ToResult(result, category, id);
    }
}
