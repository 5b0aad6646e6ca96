using ProductSearch.ModelBuilding;
using Spectre.Console;

namespace ProductSearch.Cli;

/// <summary>Shows each model-build stage as a Spectre progress task; reports arrive synchronously from the build.</summary>
internal sealed class ModelBuildProgressDisplay(ProgressContext context) : IProgress<ModelBuildProgress>
{
    private readonly Dictionary<ModelBuildStage, ProgressTask> _tasks = [];
    private ProgressTask? _current;

    public void Report(ModelBuildProgress value)
    {
        if (value.Stage == ModelBuildStage.Done)
        {
            Finish(_current);
            return;
        }

        if (!_tasks.TryGetValue(value.Stage, out var task))
        {
            Finish(_current);
            task = context.AddTask(Describe(value.Stage), autoStart: true, maxValue: 1);
            _tasks[value.Stage] = task;
            _current = task;
        }

        task.IsIndeterminate = value.Total is null;
        if (value.Total is { } total)
        {
            task.MaxValue = total;
            task.Value = value.Completed;
        }

        if (value.Stage == ModelBuildStage.Download)
        {
            task.Description = $"{Describe(value.Stage)} ({Mebibytes(value.Completed)}{(value.Total is { } size ? $" of {Mebibytes(size)}" : string.Empty)})";
        }
    }

    private static void Finish(ProgressTask? task)
    {
        if (task is null)
        {
            return;
        }

        task.IsIndeterminate = false;
        task.Value = task.MaxValue;
        task.StopTask();
    }

    private static string Mebibytes(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";

    private static string Describe(ModelBuildStage stage) => stage switch
    {
        ModelBuildStage.Download => "Download weights",
        ModelBuildStage.VerifyChecksum => "Verify MD5",
        ModelBuildStage.ReadWeights => "Read Keras weights",
        ModelBuildStage.BuildGraph => "Build ONNX graph",
        ModelBuildStage.WriteModel => "Write ONNX model",
        _ => stage.ToString(),
    };
}
