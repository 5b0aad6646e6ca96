namespace ProductSearch.Search.Filtering;

/// <summary>The two keywords, in any case: AND between terms, OR between the clauses of a term.</summary>
internal static class FilterKeywords
{
    public const string And = "AND";
    public const string Or = "OR";

    public static bool IsKeyword(string word) =>
        word.Equals(And, StringComparison.OrdinalIgnoreCase) || word.Equals(Or, StringComparison.OrdinalIgnoreCase);
}
