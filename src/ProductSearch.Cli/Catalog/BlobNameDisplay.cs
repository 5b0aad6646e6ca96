using System.Globalization;
using ProductSearch.Storage;

namespace ProductSearch.Cli.Catalog;

/// <summary>
/// Blob names and folders as the tables and messages print them: control characters as <c>&lt;U+0009&gt;</c>, and a very
/// long name cut with its length, so one 1,000-character name does not take a screen. <c>--json</c> keeps them whole.
/// </summary>
internal static class BlobNameDisplay
{
    private const int MaxShown = 100;

    public static string Of(string name)
    {
        var shown = CatalogNames.Shown(name);
        if (shown.Length <= MaxShown)
        {
            return shown;
        }

        var cut = char.IsHighSurrogate(shown[MaxShown - 1]) ? MaxShown - 1 : MaxShown;
        return $"{shown[..cut]}… ({name.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }

    /// <summary>The folders storage would not list, with storage's answer for each, as one sentence.</summary>
    public static string ListingFailures(IReadOnlyList<ListingFailure> failures) =>
        string.Join(" ", failures.Select(f => $"Storage would not list {Of(f.Folder)}/: {f.Reason}."));
}
