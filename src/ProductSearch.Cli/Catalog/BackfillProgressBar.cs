using ProductSearch.Indexing;
using ProductSearch.Tooling.Backfill;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>A Spectre progress bar fed by a backfill: the bar's length is the listing, known once it is read.</summary>
internal static class BackfillProgressBar
{
    public static Task<BackfillReport> RunAsync(
        IAnsiConsole terminal, string description, Func<IProgress<BackfillProgress>, Task<BackfillReport>> backfill) =>
        terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                task.IsIndeterminate = true; // Until the listing is read.
                return await backfill(new Reporter(task));
            });

    /// <summary>Applied on the reporting thread (not posted like Progress&lt;T&gt;), so a late report never moves the bar back.</summary>
    private sealed class Reporter(ProgressTask task) : IProgress<BackfillProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BackfillProgress value)
        {
            lock (_gate)
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(1, value.Total);
                task.Value = Math.Max(task.Value, value.Total == 0 ? 1 : value.Done);
            }
        }
    }
}
