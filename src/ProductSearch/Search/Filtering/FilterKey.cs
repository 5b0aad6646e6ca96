namespace ProductSearch.Search.Filtering;

/// <summary>A label key, as the product attributes define it: a lowercase ASCII letter, then lowercase letters, digits, <c>_ - .</c>; 1-40 characters.</summary>
internal static class FilterKey
{
    public const int MaxLength = 40;

    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxLength && char.IsAsciiLetterLower(key[0]) && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.');
}
