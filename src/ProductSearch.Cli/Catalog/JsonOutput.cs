using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>
/// Machine-readable output (<c>--json</c>): one JSON document on the output, nothing else. Written to the
/// console's raw writer, because Spectre's text rendering would wrap long lines at the console width.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // read in terminals and by programs, never embedded in HTML
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(IAnsiConsole terminal, T value)
    {
        var writer = terminal.Profile.Out.Writer;
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
        writer.Flush();
    }

    /// <summary>A failure as JSON, so a program reading the output parses every outcome.</summary>
    public static void WriteError(IAnsiConsole terminal, string message, int exitCode) =>
        Write(terminal, new { error = message, exitCode });
}
