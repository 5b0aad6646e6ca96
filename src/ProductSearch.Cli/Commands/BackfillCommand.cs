using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Features;
using ProductSearch.Indexing;
using ProductSearch.Tooling.Backfill;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>backfill</c>: index the images already in the container, through the blob trigger's indexer.</summary>
internal sealed class BackfillCommand(IAnsiConsole terminal) : CatalogCommand<BackfillCommand.Settings>(terminal)
{
    internal sealed class Settings : CatalogSettings, IJsonSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON document instead of tables and progress, for programs.")]
        public bool Json { get; init; }

        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Only this category folder. Default: every category.")]
        public string? Category { get; init; }

        [CommandOption("-p|--parallelism <N>")]
        [Description("Images indexed at once (1 to 64). Default: the processor count.")]
        public int Parallelism { get; init; } = Environment.ProcessorCount;

        public override ValidationResult Validate() =>
            CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category)
            : CommonOptions.ParallelismError(Parallelism) is { } parallelism ? ValidationResult.Error(parallelism)
            : base.Validate();
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<ModelDescriptor>();
        Say($"Backfilling {(settings.Category is null ? "every category" : $"category {settings.Category}")} of {settings.Describe()} with model {model.Id}");
        var backfill = services.GetRequiredService<CatalogBackfill>();
        var report = Json
            ? await backfill.RunAsync(settings.Category, settings.Parallelism, progress: null, cancellationToken)
            : await BackfillProgressBar.RunAsync(
                Terminal, "Indexing", progress => backfill.RunAsync(settings.Category, settings.Parallelism, progress, cancellationToken));
        if (report.Listed == 0 && report.ListingFailures.Count == 0 && settings.Category is not null)
        {
            return Fail($"No images under {settings.Container}/{settings.Category}/.");
        }

        // A folder storage would not list is a storage error, reported after everything else was done.
        var error = BackfillReportView.ListingError(report);
        var exitCode = error is not null ? StorageUnavailable : report.TransientFailures > 0 ? Incomplete : 0;
        if (Json)
        {
            JsonOutput.Write(Terminal, new
            {
                model = model.Id,
                report.Listed,
                report.Indexed,
                report.AlreadyCurrent,
                report.ThumbnailsFilled,
                report.Superseded,
                report.Gone,
                report.Failures,
                report.ListingFailures,
                error,
                exitCode,
            });
        }
        else if (report.Listed == 0 && error is null)
        {
            Terminal.WriteLine($"The container {settings.Container} holds no images.");
        }
        else
        {
            BackfillReportView.Write(Terminal, report);
        }

        return exitCode;
    }
}
