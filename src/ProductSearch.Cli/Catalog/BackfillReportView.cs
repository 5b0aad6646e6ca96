using ProductSearch.Storage;
using ProductSearch.Tooling.Backfill;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>A backfill's final counts, and a row per failed image with its reason.</summary>
internal static class BackfillReportView
{
    public static void Write(IAnsiConsole terminal, BackfillReport report)
    {
        var failed = report.Failures.Count;
        terminal.MarkupLineInterpolated(
            $"Indexed [green]{report.Indexed}[/], skipped [blue]{report.AlreadyCurrent}[/] (already current), failed [red]{failed}[/], of {report.Listed} images.");
        if (report.ColourFilled > 0)
        {
            terminal.MarkupLineInterpolated(
                $"Gave colour to [green]{report.ColourFilled}[/] images indexed before their model's colour histogram (decoded only, no inference).");
        }

        if (report.ThumbnailsFilled > 0)
        {
            terminal.MarkupLineInterpolated(
                $"Gave a thumbnail to [green]{report.ThumbnailsFilled}[/] images indexed before thumbnails (decoded only, no inference).");
        }

        if (report.Superseded + report.Gone > 0)
        {
            terminal.MarkupLineInterpolated(
                $"{report.Superseded} had a newer version indexed meanwhile and {report.Gone} were deleted meanwhile.");
        }

        if (report.NothingToIndex)
        {
            terminal.MarkupLine(failed == 0
                ? "Nothing to index: every image is already indexed at its current version."
                : "Nothing to index: every image is already indexed at its current version, or that version was refused before.");
        }

        if (failed > 0)
        {
            var table = new Table().AddColumns("Image", "Reason", "What to do");
            foreach (var failure in report.Failures)
            {
                table.AddRow(Markup.Escape(BlobNameDisplay.Of(failure.BlobName)), Markup.Escape(CatalogNames.Shown(failure.Reason)), WhatToDo(failure));
            }

            terminal.Write(table);
            if (report.TransientFailures > 0)
            {
                terminal.MarkupLineInterpolated(
                    $"[yellow]{report.TransientFailures} failed on errors that may pass:[/] run the same command again; it indexes only what is still missing.");
            }
        }

        if (ListingError(report) is { } error)
        {
            terminal.MarkupLineInterpolated($"[red]error:[/] {error}");
        }
    }

    /// <summary>The folders storage would not list, in one sentence; null when every folder was listed.</summary>
    public static string? ListingError(BackfillReport report) => report.ListingFailures.Count == 0
        ? null
        : $"{BlobNameDisplay.ListingFailures(report.ListingFailures)} Nothing in {(report.ListingFailures.Count == 1 ? "that folder" : "those folders")} was backfilled; every other folder was.";

    private static string WhatToDo(BackfillFailure failure)
    {
        var what = failure.Transient ? "run again" : failure.ForItsName ? "rename the blob" : "replace the image";
        return failure.RefusedEarlier ? $"{what} (refused before)" : what;
    }
}
