using System.ComponentModel;
using ProductSearch.ModelBuilding;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>model build-vgg16</c>: the Keras VGG16 notop weights as <c>models/vgg16-notop.onnx</c>.</summary>
internal sealed class BuildVgg16Command : AsyncCommand<BuildVgg16Command.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--weights <PATH>")]
        [Description("A local Keras notop .h5 file to convert instead of downloading the published one.")]
        public string? WeightsPath { get; init; }

        [CommandOption("-o|--output <PATH>")]
        [Description("Where to write the ONNX model. Default: models/vgg16-notop.onnx of this repository.")]
        public string? OutputPath { get; init; }

        [CommandOption("--md5 <HEX>")]
        [Description("The weights file's expected MD5. Default: the published " + Vgg16NotopWeights.Md5 + ".")]
        public string? Md5 { get; init; }

        public override ValidationResult Validate()
        {
            if (Md5 is not null && !Md5Checksum.IsWellFormed(Md5))
            {
                return ValidationResult.Error($"--md5 must be 32 hexadecimal digits, not '{Md5}'.");
            }

            if (WeightsPath is not null && !File.Exists(WeightsPath))
            {
                return ValidationResult.Error($"--weights: no file at '{WeightsPath}'.");
            }

            if (OutputPath is not null && (Directory.Exists(OutputPath) || !OutputPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)))
            {
                return ValidationResult.Error($"--output must be an .onnx file path, not '{OutputPath}'.");
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var output = settings.OutputPath
            ?? Path.Combine(ModelsFolder.Locate(Environment.CurrentDirectory), Vgg16NotopWeights.OnnxFileName);
        var md5 = settings.Md5 ?? Vgg16NotopWeights.Md5;
        AnsiConsole.MarkupLineInterpolated($"Weights: [blue]{settings.WeightsPath ?? Vgg16NotopWeights.DownloadUri.ToString()}[/]");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        var build = new Vgg16ModelBuild(new KerasWeightsDownloader(http));
        try
        {
            var result = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(progress => build.RunAsync(settings.WeightsPath, output, md5, new ModelBuildProgressDisplay(progress), cancellationToken));

            AnsiConsole.MarkupLineInterpolated($"[green]Wrote[/] {result.OnnxPath} ({result.OnnxBytes / (1024.0 * 1024.0):F1} MiB, {result.ParameterCount:N0} parameters, weights MD5 {result.WeightsMd5}).");
            return 0;
        }
        catch (HttpRequestException error)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] could not download {Vgg16NotopWeights.DownloadUri}: {error.Message}");
            AnsiConsole.MarkupLine("Download it elsewhere and pass it with [blue]--weights <file>[/]; its MD5 is still checked.");
            return 1;
        }
        catch (Exception error) when (error is ChecksumMismatchException or InvalidDataException or IOException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/] Nothing was written.");
            return 130;
        }
        catch (TaskCanceledException error) when (error.InnerException is TimeoutException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] the download timed out after {http.Timeout.TotalMinutes:F0} minutes.");
            return 1;
        }
    }
}
