using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using ProductSearch.Products;

namespace ProductSearch.Storage;

/// <summary>
/// What a category and an image id may look like, checked at every boundary (blob names, routes) so that a
/// crafted name is refused before it reaches a query. Queries are parameterised anyway; this keeps the
/// answers clear and the keys bounded. Each rule is also a sentence a shop can act on, recorded for a blob that
/// breaks it.
/// </summary>
public static partial class CatalogNames
{
    public const int MaxCategoryLength = 128;
    public const int MaxImageIdLength = 512;

    /// <summary>What the sentences call the layout the trigger path expects.</summary>
    public const string Layout = "<category>/<name>";

    public static bool IsValidCategory(string? category) => CategoryProblem(category) is null;

    public static bool IsValidImageId(string? imageId) => ImageIdProblem(imageId) is null;

    /// <summary>Splits <c>category/name</c>; null when the blob is not under a category folder.</summary>
    public static (string Category, string ImageId)? Parse(string blobName)
    {
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < blobName.Length - 1 ? (blobName[..slash], blobName[(slash + 1)..]) : null;
    }

    /// <summary>Blob metadata <c>productid</c> when the shop sets it, else the file name without extension.</summary>
    public static string ProductIdOf(string imageId, IDictionary<string, string> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            if (string.Equals(key, ProductMetadata.ProductId, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return Path.GetFileNameWithoutExtension(imageId.AsSpan(imageId.LastIndexOf('/') + 1)).ToString();
    }

    /// <summary>Null when <paramref name="blobName"/> can be indexed as <c>category/image</c>, else the first rule it breaks.</summary>
    public static string? BlobNameProblem(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash switch
        {
            < 0 => $"The blob is at the container root: upload it as {Layout}.",
            0 => $"The blob name starts with '/', so it has no category folder: upload it as {Layout}.",
            _ when slash == blobName.Length - 1 => $"The blob has no name after its folder '{Shown(blobName[..slash])}/': upload it as {Layout}.",
            _ => CategoryProblem(blobName[..slash]) ?? ImageIdProblem(blobName[(slash + 1)..]),
        };
    }

    /// <summary>Null for a valid category, else the first rule it breaks, as a sentence.</summary>
    public static string? CategoryProblem(string? category)
    {
        if (BreaksASharedRule("category", category, MaxCategoryLength, out var problem))
        {
            return problem;
        }

        if (!CategoryPattern().IsMatch(category))
        {
            return IsLetterOrNumber(category[0])
                ? $"The category '{category}' may contain only letters, digits, space, '.', '_' and '-': '{category.First(c => !IsCategoryCharacter(c))}' is none of these."
                : $"The category '{category}' must start with a letter or a digit.";
        }

        return KeyLengthProblem("category", category);
    }

    /// <summary>Null for a valid image id (the name under the category folder), else the first rule it breaks, as a sentence.</summary>
    public static string? ImageIdProblem(string? imageId)
    {
        if (BreaksASharedRule("name", imageId, MaxImageIdLength, out var problem))
        {
            return problem;
        }

        if (imageId.StartsWith('/'))
        {
            return $"The name starts with '/' (two slashes after the category folder): upload it as {Layout}.";
        }

        if (imageId.Contains('\\', StringComparison.Ordinal))
        {
            return "The name contains '\\': use '/' between folders, or another character.";
        }

        // Non-ASCII names encode to several key characters each: the key, not the name, must fit.
        return KeyLengthProblem("name", imageId);
    }

    /// <summary>A name as a sentence or a log can show it: control characters as <c>&lt;U+0009&gt;</c>, since raw they print as nothing or break a line.</summary>
    public static string Shown(string name) =>
        name.Any(char.IsControl)
            ? string.Concat(name.Select(c => char.IsControl(c) ? $"<{CodePoint(c)}>" : c.ToString()))
            : name;

    // The rules both kinds of name share, checked first and in this order.
    private static bool BreaksASharedRule(string what, [NotNullWhen(false)] string? value, int maxLength, [NotNullWhen(true)] out string? problem)
    {
        problem = string.IsNullOrEmpty(value) ? $"The {what} is empty."
            : ControlCharacterProblem(what, value) is { } control ? control
            : value.Length > maxLength ? $"The {what} is {Count(value.Length)} characters: the limit is {Count(maxLength)}."
            : null;
        return problem is not null;
    }

    private static string? ControlCharacterProblem(string what, string value) =>
        value.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') is var low and >= 0 ? ControlCharacter(what, value[low])
        : value.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') is var high and >= 0 ? ControlCharacter(what, value[high])
        : null;

    private static string ControlCharacter(string what, char c) => $"The {what} contains a control character ({CodePoint(c)}).";

    private static string? KeyLengthProblem(string what, string value) =>
        TableKeyCodec.TryEncode(value, out var key)
            ? null
            : $"The {what} is too long once stored: its {Count(value.Length)} characters take {Count(key.Length)} of at most {Count(TableKeyCodec.MaxKeyLength)} (a character outside ASCII takes 6 to 12).";

    // The pattern's \p{L} and \p{N}, character by character, to name the one that breaks it.
    private static bool IsLetterOrNumber(char c) => char.IsLetter(c) || char.IsNumber(c);

    private static bool IsCategoryCharacter(char c) => IsLetterOrNumber(c) || c is ' ' or '.' or '_' or '-';

    private static string CodePoint(char c) => $"U+{(int)c:X4}";

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} ._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();
}
