using ProductSearch.Indexing;
using ProductSearch.Tooling.Backfill;
using ProductSearch.Tooling.Import;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>A Spectre progress bar fed by a backfill or an import: the bar's length is the listing, known once it is read.</summary>
internal static class BackfillProgressBar
{
    public static Task<BackfillReport> RunAsync(
        IAnsiConsole terminal, string description, Func<IProgress<BackfillProgress>, Task<BackfillReport>> backfill) =>
        Run(terminal, description, reporter => backfill(reporter));

    public static Task<ImportReport> RunAsync(
        IAnsiConsole terminal, string description, Func<IProgress<ImportProgress>, Task<ImportReport>> import) =>
        Run(terminal, description, reporter => import(reporter));

    private static Task<TReport> Run<TReport>(IAnsiConsole terminal, string description, Func<Reporter, Task<TReport>> work) =>
        terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(description, maxValue: 1);
                task.IsIndeterminate = true; // Until the listing is read.
                return await work(new Reporter(task));
            });

    /// <summary>Applied on the reporting thread (not posted like Progress&lt;T&gt;), so a late report never moves the bar back.</summary>
    private sealed class Reporter(ProgressTask task) : IProgress<BackfillProgress>, IProgress<ImportProgress>
    {
        private readonly Lock _gate = new();

        public void Report(BackfillProgress value) => Report(value.Done, value.Total);

        public void Report(ImportProgress value) => Report(value.Done, value.Total);

        private void Report(int done, int total)
        {
            lock (_gate)
            {
                task.IsIndeterminate = false;
                task.MaxValue = Math.Max(1, total);
                task.Value = Math.Max(task.Value, total == 0 ? 1 : done);
            }
        }
    }
}
