using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Features;
using ProductSearch.Indexing;
using ProductSearch.Maintenance;
using ProductSearch.Tooling.Backfill;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// <c>reindex</c>: vectors of another model, side by side. They go to the model's own table while the app keeps
/// serving from <c>--table</c>; the switch is two app settings, printed when the new table is complete. See docs/cli.md,
/// "Changing the model".
/// </summary>
internal sealed class ReindexCommand(IAnsiConsole terminal) : CatalogCommand<ReindexCommand.Settings>(terminal)
{
    internal sealed class Settings : CatalogSettings
    {
        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Only this category, to try a model before reindexing everything. A switch needs every category.")]
        public string? Category { get; init; }

        [CommandOption("-p|--parallelism <N>")]
        [Description("Images indexed at once (1 to 64). Default: the processor count.")]
        public int Parallelism { get; init; } = Environment.ProcessorCount;

        [CommandOption("--target-table <NAME>")]
        [Description("Table for the new vectors. Default: vectors + the model id's letters and digits (vectorsresnet18imagenetavg).")]
        public string? TargetTable { get; init; }

        /// <summary>The model's own table; the descriptor is read here (a small JSON file) to name it.</summary>
        public string ResolveTargetTable() => TargetTable ?? ModelVectorTable.NameFor(ModelDescriptor.Load(ModelPath).Id);

        public override ValidationResult Validate()
        {
            if (Model is null)
            {
                return ValidationResult.Error("reindex needs --model <descriptor>: the model to compute the new vectors with.");
            }

            if (TargetTable is not null && string.Equals(TargetTable, Table, StringComparison.OrdinalIgnoreCase))
            {
                return ValidationResult.Error($"--target-table is the serving table ({Table}): the new vectors need a table of their own.");
            }

            return CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category)
                : CommonOptions.ParallelismError(Parallelism) is { } parallelism ? ValidationResult.Error(parallelism)
                : base.Validate();
        }
    }

    protected override IReadOnlyDictionary<string, string?> ConfigurationFor(Settings settings)
    {
        var values = settings.ToConfiguration();
        values["Storage:VectorTable"] = settings.ResolveTargetTable();
        return values;
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<ModelDescriptor>();
        var target = settings.ResolveTargetTable();
        if (string.Equals(target, settings.Table, StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"Model {model.Id}'s table is {target}, the serving table: its vectors are already there; use backfill.");
        }

        Terminal.MarkupLineInterpolated(
            $"Reindexing {(settings.Category is null ? "every category" : $"category {settings.Category}")} with model {model.Id} into table [blue]{target}[/]; queries keep using table {settings.Table} until you switch.");
        var report = await BackfillProgressBar.RunAsync(
            Terminal, model.Id, progress => services.GetRequiredService<CatalogBackfill>().RunAsync(settings.Category, settings.Parallelism, progress, cancellationToken));
        BackfillReportView.Write(Terminal, report);

        // A run before this one may have indexed images deleted since: the new table must hold exactly the container.
        var reconciler = services.GetRequiredService<CatalogReconciler>();
        var removed = settings.Category is null
            ? await reconciler.ReconcileAsync(cancellationToken)
            : await reconciler.ReconcileCategoryAsync(settings.Category, cancellationToken);
        if (removed.VectorsRemoved > 0)
        {
            Terminal.MarkupLineInterpolated($"Removed {removed.VectorsRemoved} vectors of images deleted since an earlier run.");
        }

        if (report.ListingFailures.Count > 0)
        {
            Terminal.MarkupLineInterpolated($"[yellow]Not complete:[/] {target} lacks the folders storage would not list. Run the same command again once they list, before switching.");
            return StorageUnavailable;
        }

        if (report.TransientFailures > 0)
        {
            Terminal.MarkupLineInterpolated($"[yellow]Not complete:[/] {target} lacks {report.TransientFailures} images. Run the same command again before switching.");
            return Incomplete;
        }

        ModelSwitchInstructions.Write(Terminal, settings, model.Id, target);
        return 0;
    }
}
