using System.ComponentModel;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.ModelBuilding;
using ProductSearch.ModelBuilding.Quantization;
using ProductSearch.Tooling.Evaluation;
using ProductSearch.Tooling.Quantization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// <c>model quantize</c>: a descriptor's ONNX model as static int8 QDQ (per-channel 7-bit weights, uint8 activations
/// calibrated on a folder of photos). The model keeps its input and tensor names, so a copy of the descriptor with the
/// new <c>onnxFile</c> and a new <c>id</c> (the vectors change slightly) serves it.
/// </summary>
internal sealed class QuantizeCommand : AsyncCommand<QuantizeCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <DESCRIPTOR>")]
        [Description("Descriptor of the float model; its input settings prepare the calibration photos.")]
        public string Model { get; init; } = "models/resnet18.json";

        [CommandOption("--photos <FOLDER_OR_MANIFEST>")]
        [Description("Calibration photos like those the model will see: a folder (recursive) or a manifest CSV.")]
        public string Photos { get; init; } = "";

        [CommandOption("-o|--output <PATH>")]
        [Description("Int8 model to write. Default: <onnx file>-int8.onnx in models/ of this repository.")]
        public string? Output { get; init; }

        [CommandOption("--count <N>")]
        [Description("Photos calibrated on, spread evenly over the list. Default: 64.")]
        public int Count { get; init; } = 64;

        [CommandOption("--method <METHOD>")]
        [Description("minmax (nothing clips) or percentile (rare outliers clip). Default: minmax.")]
        public string Method { get; init; } = "minmax";

        [CommandOption("--percentile <P>")]
        [Description("With --method percentile: the upper percentile kept. Default: 99.99.")]
        public double Percentile { get; init; } = 99.99;

        [CommandOption("--full-range")]
        [Description("8-bit weights instead of 7: a little closer to float32 where every CPU has VNNI, but far off on AVX2 without it.")]
        public bool FullRange { get; init; }

        public CalibrationMethod CalibrationMethod => Method.Equals("percentile", StringComparison.OrdinalIgnoreCase)
            ? CalibrationMethod.Percentile
            : CalibrationMethod.MinMax;

        public override ValidationResult Validate()
        {
            if (DescriptorPath.Error(Model) is { } modelError)
            {
                return ValidationResult.Error(modelError);
            }

            if (Photos.Length == 0 || (!File.Exists(Photos) && !Directory.Exists(Photos)))
            {
                return ValidationResult.Error("--photos must name a folder or a manifest file.");
            }

            return Method.ToLowerInvariant() is not ("minmax" or "percentile") ? ValidationResult.Error("--method must be minmax or percentile.")
                : Percentile is <= 50 or > 100 ? ValidationResult.Error("--percentile must be above 50 and at most 100.")
                : Count < 1 ? ValidationResult.Error("--count must be positive.")
                : Output is not null && !Output.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? ValidationResult.Error("--output must be an .onnx file path.")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var descriptor = ModelDescriptor.Load(DescriptorPath.Resolve(settings.Model));
        var output = settings.Output ?? Path.Combine(
            ModelsFolder.Locate(Environment.CurrentDirectory), $"{Path.GetFileNameWithoutExtension(descriptor.OnnxPath)}-int8.onnx");
        var photos = ModelQuantization.Sample(PhotoVectors.List(settings.Photos), settings.Count);
        if (photos.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] no photos in {settings.Photos}.");
            return 1;
        }

        var options = new QuantizationOptions { Method = settings.CalibrationMethod, Percentile = settings.Percentile, FullRangeWeights = settings.FullRange };
        try
        {
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask("calibrating", maxValue: photos.Count);
                await ModelQuantization.QuantizeAsync(descriptor, photos, options, output, new Progress<int>(n => task.Value = n), cancellationToken);
            });
        }
        catch (Exception error) when (error is InvalidDataException or NotSupportedException or ImageRejectedException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            return 1;
        }

        AnsiConsole.MarkupLineInterpolated(
            $"Wrote [blue]{output}[/] ({new FileInfo(output).Length / (1024.0 * 1024.0):F1} MiB), {options.Method} calibration on {photos.Count} photos.");
        AnsiConsole.MarkupLineInterpolated(
            $"Serve it from a copy of {settings.Model} with [blue]\"onnxFile\": \"{Path.GetFileName(output)}\"[/] and a new [blue]id[/] (its vectors differ slightly).");
        return 0;
    }
}
