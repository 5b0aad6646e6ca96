using System.Text;

namespace ProductSearch.Search.Filtering;

/// <summary>What a filter value may hold, bare or quoted, and how the canonical text writes it.</summary>
internal static class FilterValue
{
    /// <summary>The longest value, as for a label.</summary>
    public const int MaxLength = 100;

    /// <summary>A character a bare (unquoted) value may hold: letters, digits and <c>_ - . : + /</c>.</summary>
    public static bool IsBare(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '+' or '/';

    /// <summary>Bare when it can be (and is not a keyword), else double-quoted with <c>\"</c> and <c>\\</c>.</summary>
    public static string Format(string value)
    {
        if (value.All(IsBare) && !FilterKeywords.IsKeyword(value))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            quoted.Append(c is '"' or '\\' ? "\\" : string.Empty).Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
