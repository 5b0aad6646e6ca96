using ProductSearch.Tooling.Import;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>
/// An import's totals, a row per photo that was sent, refused or failed, and a row per bad CSV line. Unchanged photos
/// are counted, not listed: a re-run of a large catalogue would otherwise print a screen of nothing happening.
/// </summary>
internal static class ImportReportView
{
    public static void Write(IAnsiConsole terminal, ImportReport report)
    {
        var listed = report.Photos.Where(p => p.Outcome != ImportOutcome.Unchanged).ToList();
        if (listed.Count > 0)
        {
            var table = new Table().AddColumns("Photo", "Blob", "What happened", "CSV line", "Reason");
            foreach (var photo in listed)
            {
                table.AddRow(
                    Markup.Escape(BlobNameDisplay.Of(photo.Path)),
                    Markup.Escape(BlobNameDisplay.Of(photo.BlobName)),
                    Shown(photo.Outcome),
                    photo.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    Markup.Escape(photo.Reason ?? ""));
            }

            terminal.Write(table);
        }

        if (report.BadRows.Count > 0)
        {
            var rows = new Table().Title("CSV rows skipped (nothing of them was imported)").AddColumns("Line", "Image", "Reason");
            foreach (var row in report.BadRows)
            {
                rows.AddRow(row.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(row.BlobName ?? ""), Markup.Escape(row.Reason));
            }

            terminal.Write(rows);
        }

        terminal.MarkupLineInterpolated(
            $"Uploaded [green]{report.Uploaded}[/], metadata updated [green]{report.MetadataUpdated}[/], unchanged [blue]{report.Unchanged}[/], refused [red]{report.Refused}[/], failed [red]{report.Failed}[/], of {report.Photos.Count} photos; {report.BadRows.Count} bad CSV rows.");
        if (report.Failed > 0)
        {
            terminal.MarkupLineInterpolated($"[yellow]{report.Failed} failed:[/] run the same command again; it sends only what is still missing.");
        }
    }

    /// <summary>The outcome as <c>--json</c> and the table name it.</summary>
    public static string Name(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Uploaded => "uploaded",
        ImportOutcome.MetadataUpdated => "metadataUpdated",
        ImportOutcome.Unchanged => "unchanged",
        ImportOutcome.Refused => "refused",
        _ => "failed",
    };

    private static string Shown(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Uploaded => "[green]uploaded[/]",
        ImportOutcome.MetadataUpdated => "[green]metadata updated[/]",
        ImportOutcome.Refused => "[red]refused[/]",
        ImportOutcome.Failed => "[red]failed[/]",
        _ => "unchanged",
    };
}
