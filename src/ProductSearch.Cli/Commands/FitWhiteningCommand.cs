using System.ComponentModel;
using ProductSearch.Features;
using ProductSearch.Tooling.Evaluation;
using ProductSearch.Tooling.Whitening;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// <c>model fit-whitening</c>: fits PCA-whitening on a catalogue's own photos, without labels, and writes the file a
/// descriptor's <c>whiteningFile</c> names.
/// </summary>
internal sealed class FitWhiteningCommand : AsyncCommand<FitWhiteningCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <DESCRIPTOR>")]
        [Description("Descriptor whose vectors are whitened (its own whiteningFile, if any, is ignored while fitting).")]
        public string Model { get; init; } = "models/resnet18-gem.json";

        [CommandOption("--photos <FOLDER_OR_MANIFEST>")]
        [Description("The catalogue's photos: a folder (searched recursively) or a manifest CSV with a path column. Labels are never read.")]
        public string Photos { get; init; } = "";

        [CommandOption("-o|--output <PATH>")]
        [Description("Whitening file to write. Default: the descriptor's whiteningFile, else <descriptor>.whitening beside it.")]
        public string? Output { get; init; }

        [CommandOption("--dimensions <N>")]
        [Description("Principal axes kept, largest first. Default: all (at most photos - 1).")]
        public int? Dimensions { get; init; }

        [CommandOption("--power <P>")]
        [Description("Eigenvalue exponent: 0.5 whitens fully, smaller values partly. Default: 0.5.")]
        public double Power { get; init; } = 0.5;

        [CommandOption("-p|--parallelism <N>")]
        [Description("Photos processed at once. Default: the processor count.")]
        public int Parallelism { get; init; } = Environment.ProcessorCount;

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

            return Power is < 0 or > 1 ? ValidationResult.Error("--power must be from 0 to 1.")
                : Dimensions is < 1 ? ValidationResult.Error("--dimensions must be positive.")
                : Parallelism is < 1 or > 64 ? ValidationResult.Error("--parallelism must be from 1 to 64.")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var descriptorPath = DescriptorPath.Resolve(settings.Model);
        var descriptor = ModelDescriptor.Load(descriptorPath);
        var output = settings.Output ?? descriptor.WhiteningPath ?? Path.ChangeExtension(descriptorPath, ".whitening");
        var photos = PhotoVectors.List(settings.Photos);
        if (photos.Count < 2)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {settings.Photos} holds {photos.Count} photo(s); whitening needs many (hundreds).");
            return 1;
        }

        // The whitening is fitted on the vectors it will be applied to: the descriptor's, before any whitening.
        var vectors = await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("extracting", maxValue: photos.Count);
            return await PhotoVectors.ExtractAsync(descriptor with { WhiteningPath = null }, photos, settings.Parallelism, new Progress<int>(n => task.Value = n), cancellationToken);
        });
        var whitening = WhiteningFit.Fit(vectors, settings.Dimensions, settings.Power);
        whitening.Save(output);
        AnsiConsole.MarkupLineInterpolated(
            $"Fitted {whitening.InputDimension} -> {whitening.OutputDimension}-d whitening (power {settings.Power}) on {photos.Count} photos: [blue]{output}[/]");
        if (descriptor.WhiteningPath is null || Path.GetFullPath(output) != descriptor.WhiteningPath)
        {
            AnsiConsole.MarkupLine("Reference it from a descriptor with [blue]\"whiteningFile\"[/] and give that descriptor a new [blue]id[/] (its vectors change).");
        }

        return 0;
    }
}
