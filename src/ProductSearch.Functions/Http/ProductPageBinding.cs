using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ProductSearch.Functions.Http;

/// <summary>Validates a product listing's category, <c>skip</c> and <c>take</c>.</summary>
internal static class ProductPageBinding
{
    public const int DefaultTake = 48;

    /// <summary>Bounds one answer's size: a page is a screenful of thumbnails, not an export.</summary>
    public const int MaxTake = 200;

    public static IActionResult? Validate(HttpRequest request, string category, out int skip, out int take)
    {
        skip = 0;
        take = DefaultTake;
        if (CatalogRouteBinding.ValidateCategory(category) is { } invalidCategory)
        {
            return invalidCategory;
        }

        if (!TryRead(request, "skip", 0, int.MaxValue, ref skip))
        {
            return ApiProblems.BadRequest("'skip' must be a whole number from 0.");
        }

        if (!TryRead(request, "take", 1, MaxTake, ref take))
        {
            return ApiProblems.BadRequest($"'take' must be a whole number from 1 to {MaxTake}.");
        }

        return null;
    }

    // Absent keeps the default; present must be exactly one whole number in range (no sign, no decimals).
    private static bool TryRead(HttpRequest request, string name, int min, int max, ref int value)
    {
        if (!request.Query.TryGetValue(name, out var raw) || raw.Count == 0)
        {
            return true;
        }

        if (raw.Count > 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
