using ProductSearch.Storage;

namespace ProductSearch.Cli.Commands;

/// <summary>Checks of options several commands take, with the same message everywhere.</summary>
internal static class CommonOptions
{
    public const int MaxParallelism = 64;

    public static string? CategoryError(string? category) =>
        category is null || CatalogNames.IsValidCategory(category)
            ? null
            : $"--category '{category}' is not a category name (letters, digits, spaces, '.', '_' and '-', starting with a letter or digit).";

    public static string? ParallelismError(int parallelism) =>
        parallelism is >= 1 and <= MaxParallelism ? null : $"--parallelism must be from 1 to {MaxParallelism}, not {parallelism}.";
}
