using System.Text.RegularExpressions;

namespace ProductSearch.Storage;

/// <summary>
/// What a category and an image id may look like, checked at every boundary (blob names, routes) so that a
/// crafted name is refused before it reaches a query. Queries are parameterised anyway; this keeps the
/// answers clear and the keys bounded.
/// </summary>
public static partial class CatalogNames
{
    public const int MaxCategoryLength = 128;
    public const int MaxImageIdLength = 512;

    public static bool IsValidCategory(string? category) =>
        category is { Length: > 0 and <= MaxCategoryLength } && CategoryPattern().IsMatch(category) && TableKeyCodec.TryEncode(category, out _);

    public static bool IsValidImageId(string? imageId) =>
        imageId is { Length: > 0 and <= MaxImageIdLength }
        && !imageId.Any(char.IsControl)
        && !imageId.StartsWith('/')
        && !imageId.Contains('\\', StringComparison.Ordinal)
        // Non-ASCII names encode to several key characters each: the key, not the name, must fit.
        && TableKeyCodec.TryEncode(imageId, out _);

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} ._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();
}
