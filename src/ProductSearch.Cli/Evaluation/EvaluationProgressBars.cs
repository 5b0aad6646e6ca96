using ProductSearch.Tooling.Evaluation;
using Spectre.Console;

namespace ProductSearch.Cli.Evaluation;

/// <summary>An evaluation's progress on the console: a bar while a variant is indexed, a line when it is measured.</summary>
internal sealed class EvaluationProgressBars(IAnsiConsole console) : IEvaluationProgress
{
    public Task<T> IndexingAsync<T>(string variant, int photos, Func<IProgress<int>, Task<T>> index) =>
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(variant, maxValue: photos);
                return await index(new Progress<int>(n => task.Value = n));
            });

    public void Evaluated(string label, TimeSpan elapsed) =>
        console.MarkupLineInterpolated($"{label}: indexed and evaluated in {elapsed.TotalSeconds:F0} s");
}
