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

        protected override bool RunsTheModel => false;

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
        if (Json)
        {
            JsonOutput.Write(Terminal, report);
            return 0;
        }

        if (report.Categories.Count == 0)
        {
            Terminal.WriteLine("No categories: the container and the table are empty.");
            return 0;
        }

        var models = report.Categories.SelectMany(c => c.VectorsByModel.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Terminal.Write(CountsTable(report, models));
        Terminal.MarkupLineInterpolated($"Model ids: {(models.Count == 0 ? "none (nothing indexed)" : string.Join(", ", models))}");
        // Which int8 figures apply where this runs (docs/performance.md); the function app logs the same at start.
        Terminal.MarkupLineInterpolated($"int8 kernels on this machine: {Int8InstructionSet.Name}");
        if (report.Failures.Count > 0)
        {
            Terminal.Write(FailuresTable(report.Failures));
        }

        return 0;
    }

    private static Table CountsTable(CatalogStatisticsReport report, List<string> models)
    {
        var table = new Table().AddColumn("Category").AddColumn("Images", c => c.RightAligned());
        foreach (var model in models)
        {
            table.AddColumn($"Vectors {Markup.Escape(model)}", c => c.RightAligned());
        }

        table.AddColumn("Failures", c => c.RightAligned());
        foreach (var category in report.Categories)
        {
            var cells = new List<string> { Markup.Escape(category.Category), Count(category.Images) };
            cells.AddRange(models.Select(m => Count(category.VectorsByModel.GetValueOrDefault(m))));
            cells.Add(Count(category.Failures));
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
                Markup.Escape($"{failure.Category}/{failure.ImageId}"),
                Markup.Escape(failure.Reason),
                Markup.Escape(failure.Message),
                failure.FailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
