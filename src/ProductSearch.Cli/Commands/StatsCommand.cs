using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Features;
using ProductSearch.Storage;
using ProductSearch.Tooling.Statistics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// <c>stats</c>: categories, images and vectors per model in each, the images that could not be indexed, and the
/// instruction set of this machine's int8 kernels.
/// </summary>
internal sealed class StatsCommand(IAnsiConsole terminal) : CatalogCommand<StatsCommand.Settings>(terminal)
{
    internal sealed class Settings : CatalogSettings, IJsonSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON document instead of tables and progress, for programs.")]
        public bool Json { get; init; }

        public override bool RunsTheModel => false;

        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Only this category. Default: every category.")]
        public string? Category { get; init; }

        public override ValidationResult Validate() =>
            CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category) : base.Validate();
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        Say($"Catalogue in {settings.Describe()}");
        var report = await services.GetRequiredService<CatalogStatistics>().ReadAsync(settings.Category, cancellationToken);

        // A folder storage would not list is a storage error, reported with the counts of every other folder.
        var error = report.ListingFailures.Count == 0
            ? null
            : $"{BlobNameDisplay.ListingFailures(report.ListingFailures)} {(report.ListingFailures.Count == 1 ? "Its counts are" : "Their counts are")} missing; every other folder's are complete.";
        var exitCode = error is null ? 0 : StorageUnavailable;
        if (Json)
        {
            JsonOutput.Write(Terminal, new { report.Categories, report.InvalidNames, report.Failures, report.AttributeRefusals, report.ListingFailures, error, exitCode });
            return exitCode;
        }

        if (report.Categories.Count == 0 && report.InvalidNames == 0 && report.Failures.Count == 0 && error is null)
        {
            Terminal.WriteLine("No categories: the container and the table are empty.");
            return 0;
        }

        var models = report.Categories.SelectMany(c => c.VectorsByModel.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Terminal.Write(CountsTable(report, models));
        Terminal.MarkupLineInterpolated($"Model ids: {(models.Count == 0 ? "none (nothing indexed)" : string.Join(", ", models))}");
        // Which int8 figures apply where this runs (docs/performance.md); the function app logs the same at start.
        Terminal.MarkupLineInterpolated($"int8 kernels on this machine: {Int8InstructionSet.Name}");
        if (report.InvalidNames > 0)
        {
            Terminal.MarkupLineInterpolated(
                $"Invalid names: [red]{report.InvalidNames}[/] blobs at the container root or in folders that are not categories, never indexed (the rule each breaks is below once the trigger or backfill has seen it).");
        }

        if (report.Failures.Count > 0)
        {
            Terminal.Write(FailuresTable(report.Failures));
        }

        if (report.AttributeRefusals.Count > 0)
        {
            Terminal.Write(RefusalsTable(report.AttributeRefusals));
        }

        if (error is not null)
        {
            Terminal.MarkupLineInterpolated($"[red]error:[/] {error}");
        }

        return exitCode;
    }

    private static Table CountsTable(CatalogStatisticsReport report, List<string> models)
    {
        var table = new Table().AddColumn("Category").AddColumn("Images", c => c.RightAligned());
        foreach (var model in models)
        {
            table.AddColumn($"Vectors {Markup.Escape(model)}", c => c.RightAligned());
        }

        table.AddColumn("Failures", c => c.RightAligned());
        var refusals = report.AttributeRefusals.Count > 0;
        if (refusals)
        {
            table.AddColumn("Attributes refused", c => c.RightAligned());
        }

        foreach (var category in report.Categories)
        {
            var cells = new List<string> { Markup.Escape(category.Category), category.Images is { } images ? Count(images) : "not listed" };
            cells.AddRange(models.Select(m => Count(category.VectorsByModel.GetValueOrDefault(m))));
            cells.Add(Count(category.Failures));
            if (refusals)
            {
                cells.Add(Count(category.RefusedAttributes));
            }

            table.AddRow([.. cells]);
        }

        return table;
    }

    private static Table FailuresTable(IReadOnlyList<IndexingFailure> failures)
    {
        var table = new Table().Title("Images that could not be indexed").AddColumns("Image", "Reason", "Message", "Failed at (UTC)");
        foreach (var failure in failures)
        {
            table.AddRow(
                Markup.Escape(BlobNameDisplay.Of(failure.BlobName)),
                Markup.Escape(failure.Reason),
                Markup.Escape(CatalogNames.Shown(failure.Message)),
                failure.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static Table RefusalsTable(IReadOnlyList<RefusedAttributes> refusals)
    {
        var table = new Table().Title("Images indexed without some of the product attributes in their metadata").AddColumns("Image", "Refused");
        foreach (var refusal in refusals)
        {
            table.AddRow(Markup.Escape(BlobNameDisplay.Of($"{refusal.Category}/{refusal.ImageId}")), Markup.Escape(string.Join(Environment.NewLine, refusal.Reasons)));
        }

        return table;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
