using System.Globalization;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>
/// How wide the CLI's tables and lines may be. Spectre uses the terminal's width, and 80 columns when output goes
/// to a file or a pipe, which cuts headers and wraps ids mid-word; there <c>COLUMNS</c> decides, else lines are
/// not wrapped at all.
/// </summary>
internal static class TerminalWidth
{
    /// <summary>Wide enough that nothing is wrapped or cut when output is redirected and no COLUMNS is set.</summary>
    public const int Unwrapped = 1000;

    public static int? For(string? columns, bool redirected) =>
        int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0 ? width
        : redirected ? Unwrapped
        : null;

    public static void Apply(IAnsiConsole console)
    {
        if (For(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsOutputRedirected) is { } width)
        {
            console.Profile.Width = width;
        }
    }
}
