using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Maintenance;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>reconcile</c>: remove the vectors of deleted images and index the blobs the trigger missed, now, with the timer function's code.</summary>
internal sealed class ReconcileCommand(IAnsiConsole terminal) : CatalogCommand<ReconcileCommand.Settings>(terminal)
{
    internal sealed class Settings : CatalogSettings
    {
        public override bool RunsTheModel => false;

        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Only this category. Default: every category in the table or the container.")]
        public string? Category { get; init; }

        public override ValidationResult Validate() =>
            CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category) : base.Validate();

        // Run by hand, it indexes every missed image now: a blob the trigger is indexing at the same moment
        // is written once all the same (the indexer's writes are conditional).
        public override Dictionary<string, string?> ToConfiguration()
        {
            var configuration = base.ToConfiguration();
            configuration["Reconcile:RepairGracePeriod"] = "00:00:00";
            return configuration;
        }
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        Terminal.MarkupLineInterpolated($"Reconciling {(settings.Category is null ? "every category" : $"category {settings.Category}")} of {settings.Describe()}");
        var reconciler = services.GetRequiredService<CatalogReconciler>();
        var report = await Terminal.Status().StartAsync("Comparing vectors with the container, indexing missed images", _ => settings.Category is null
            ? reconciler.ReconcileAsync(cancellationToken)
            : reconciler.ReconcileCategoryAsync(settings.Category, cancellationToken));
        Terminal.MarkupLineInterpolated(
            $"Checked {report.VectorsChecked} vectors in {report.Categories} categories: removed [green]{report.VectorsRemoved}[/] of deleted images, cleared {report.FailuresCleared} failure rows, deleted {report.LogRowsTrimmed} change-log rows past their retention.");
        Terminal.MarkupLineInterpolated(
            $"Found {report.MissedFound} images the trigger missed: indexed [green]{report.MissedIndexed}[/], {report.MissedLeft} left for the next run.");
        if (report.FoldersNotListed > 0)
        {
            // Like backfill and stats: a folder storage would not list is a storage error, after every other one was done.
            return Fail($"Storage would not list {report.FoldersNotListed} {(report.FoldersNotListed == 1 ? "folder" : "folders")}: left as they were (the log names them and storage's answer); every other folder was reconciled.", StorageUnavailable);
        }

        return report.MissedLeft > 0 ? Incomplete : 0;
    }
}
