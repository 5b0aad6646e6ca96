using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions.Http;

/// <summary>Validates what both similarity endpoints share (category, top) and maps their answers.</summary>
internal static class SimilarRequest
{
    public static IActionResult? Validate(HttpRequest request, string category, SearchOptions options, out int top)
    {
        top = options.DefaultTop;
        if (!CatalogNames.IsValidCategory(category))
        {
            return ApiProblems.BadRequest(
                $"Category must be 1 to {CatalogNames.MaxCategoryLength} letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");
        }

        if (request.Query.TryGetValue("top", out var raw) && raw.Count > 0)
        {
            if (raw.Count > 1 || !int.TryParse(raw[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out top)
                || top < 1 || top > options.MaxTop)
            {
                return ApiProblems.BadRequest($"'top' must be a whole number from 1 to {options.MaxTop}.");
            }
        }

        return null;
    }

    public static IActionResult ToResult(SimilarProductsResult result, string category, string? imageId = null) => result.Failure switch
    {
        SearchFailure.UnknownCategory => ApiProblems.NotFound($"Category '{category}' has no indexed images."),
        SearchFailure.UnknownImage => ApiProblems.NotFound($"Image '{imageId}' is not indexed in category '{category}'."),
        _ => new OkObjectResult(SimilarProductsResponse.From(result.Products!)),
    };
}
