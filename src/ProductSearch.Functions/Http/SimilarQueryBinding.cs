using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Search;
using ProductSearch.Search.Filtering;

namespace ProductSearch.Functions.Http;

/// <summary>Validates what both similarity endpoints share (category, query string) and maps their answers.</summary>
internal static class SimilarQueryBinding
{
    /// <summary>Parses <c>top</c>, <c>group</c> (product | image), <c>colour</c>, <c>maxDistance</c>, <c>minSimilarity</c> and <c>filter</c>.</summary>
    public static IActionResult? Validate(HttpRequest request, string category, SearchOptions options, out SimilarityQuery query)
    {
        query = new SimilarityQuery(options.DefaultTop) { ColourWeight = (float)options.DefaultColourWeight };
        if (CatalogRouteBinding.ValidateCategory(category) is { } invalidCategory)
        {
            return invalidCategory;
        }

        if (Single(request, "top") is { } rawTop)
        {
            if (!int.TryParse(rawTop, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top < 1 || top > options.MaxTop)
            {
                return ApiProblems.BadRequest($"'top' must be a whole number from 1 to {options.MaxTop}.");
            }

            query = query with { Top = top };
        }

        if (Single(request, "group") is { } group)
        {
            if (group is not ("product" or "image"))
            {
                return ApiProblems.BadRequest("'group' must be 'product' (one result per product, the default) or 'image' (every image).");
            }

            query = query with { GroupByProduct = group == "product" };
        }

        if (Single(request, "colour") is { } rawColour)
        {
            if (!TryParseUnit(rawColour, (float)SearchOptions.MaxColourWeight, out var colour))
            {
                return ApiProblems.BadRequest(FormattableString.Invariant(
                    $"'colour' must be a number from 0 (shape only) to {SearchOptions.MaxColourWeight} (colour weighs most)."));
            }

            query = query with { ColourWeight = colour };
        }

        if (Single(request, "maxDistance") is { } rawDistance)
        {
            if (!TryParseUnit(rawDistance, 2, out var distance))
            {
                return ApiProblems.BadRequest("'maxDistance' must be a number from 0 to 2.");
            }

            query = query with { MaxDistance = distance };
        }

        if (Single(request, "minSimilarity") is { } rawSimilarity)
        {
            if (!TryParseUnit(rawSimilarity, 1, out var similarity))
            {
                return ApiProblems.BadRequest("'minSimilarity' must be a number from 0 to 1.");
            }

            query = query with { MaxDistance = Math.Min(query.MaxDistance, SimilarityQuery.DistanceOf(similarity)) };
        }

        // An empty filter is no filter: a page's chooser set to "any" may still send the parameter.
        if (Single(request, "filter") is { } rawFilter && !string.IsNullOrWhiteSpace(rawFilter))
        {
            try
            {
                query = query with { Filter = ProductFilter.Parse(rawFilter) };
            }
            catch (FilterSyntaxException e)
            {
                return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid filter", e.Message);
            }
        }

        return null;
    }

    public static IActionResult ToResult(SimilarProductsResult result, ThumbnailLinks thumbnails, string category, string? imageId = null) => result.Failure switch
    {
        SearchFailure.UnknownCategory => ApiProblems.NotFound($"Category '{category}' has no indexed images."),
        SearchFailure.UnknownImage => ApiProblems.NotFound($"Image '{imageId}' is not indexed in category '{category}'."),
        _ => new OkObjectResult(SimilarProductsResponse.From(result.Products!, thumbnails)),
    };

    private static string? Single(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    private static bool TryParseUnit(string raw, float max, out float value) =>
        float.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value >= 0 && value <= max;
}
