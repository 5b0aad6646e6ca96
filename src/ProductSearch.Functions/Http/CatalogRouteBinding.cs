using Microsoft.AspNetCore.Mvc;
using ProductSearch.Storage;

namespace ProductSearch.Functions.Http;

/// <summary>The route values every catalogue endpoint shares, checked once with the same answers.</summary>
internal static class CatalogRouteBinding
{
    public static IActionResult? ValidateCategory(string category) =>
        CatalogNames.IsValidCategory(category)
            ? null
            : ApiProblems.BadRequest(
                $"Category must be 1 to {CatalogNames.MaxCategoryLength} letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.");

    /// <summary>Nested image names arrive URL-encoded ('%2F'), which routing leaves as is: decode, then check.</summary>
    public static IActionResult? ReadImageId(string routeValue, out string imageId)
    {
        imageId = Uri.UnescapeDataString(routeValue);
        return CatalogNames.IsValidImageId(imageId)
            ? null
            : ApiProblems.BadRequest(
                $"Image id must be 1 to {CatalogNames.MaxImageIdLength} characters, without control characters or '\\', and fit a table key once non-ASCII characters are escaped.");
    }
}
