using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ProductSearch.Cli.Evaluation;
using ProductSearch.Evaluation;
using ProductSearch.Features;
using ProductSearch.ModelBuilding;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>eval</c>: retrieval quality of each model on a labelled photo set, through the real indexing path.</summary>
internal sealed class EvalCommand : AsyncCommand<EvalCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--manifest <PATH>")]
        [Description("Manifest of labelled photos (path,category,product_id[,style_id]). Default: ../shared/datasets/products/manifest.csv beside the repository.")]
        public string? Manifest { get; init; }

        [CommandOption("-m|--model <DESCRIPTOR>")]
        [Description("Model descriptor(s) to evaluate; relative paths are relative to the CLI's folder, as in the app (models/resnet18.json). Default: every descriptor in models/ whose ONNX file exists.")]
        public string[] Models { get; init; } = [];

        [CommandOption("--resize <MODES>")]
        [Description("Preprocessing to compare, comma-separated: squash (the notebook's), center-crop. Default: both.")]
        public string Resize { get; init; } = "squash,center-crop";

        [CommandOption("--storage <CONNECTION>")]
        [Description("Storage connection string. Default: Azurite on its default ports (npm run azurite).")]
        public string Storage { get; init; } = "UseDevelopmentStorage=true";

        [CommandOption("--container <NAME>")]
        [Description("Container the photos are uploaded to. Default: eval-photos.")]
        public string Container { get; init; } = "eval-photos";

        [CommandOption("-o|--output <DIR>")]
        [Description("Where the JSON summary and the HTML report go. Default: artifacts/eval.")]
        public string Output { get; init; } = Path.Combine("artifacts", "eval");

        [CommandOption("-p|--parallelism <N>")]
        [Description("Photos indexed at once. Default: the processor count.")]
        public int Parallelism { get; init; } = Environment.ProcessorCount;

        [CommandOption("--min-product-recall4 <VALUE>")]
        [Description("Fail (exit code 3) when the first variant's same-product recall@4 falls below this.")]
        public double? MinProductRecall4 { get; init; }

        public override ValidationResult Validate()
        {
            if (Parallelism is < 1 or > 64)
            {
                return ValidationResult.Error("--parallelism must be from 1 to 64.");
            }

            if (Models.FirstOrDefault(m => !File.Exists(ModelOptionsValidation.ResolvePath(m))) is { } missing)
            {
                return ValidationResult.Error($"--model: no descriptor at '{missing}'.");
            }

            return ParseResizes(Resize) is null
                ? ValidationResult.Error($"--resize takes squash and/or center-crop, not '{Resize}'.")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var repository = Path.GetDirectoryName(ModelsFolder.Locate(Environment.CurrentDirectory))!;
        var manifestPath = settings.Manifest ?? Path.Combine(repository, "..", "shared", "datasets", "products", "manifest.csv");
        if (!File.Exists(manifestPath))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] no manifest at {manifestPath}; pass --manifest.");
            return 1;
        }

        var entries = ProductManifest.Read(manifestPath);
        var models = settings.Models.Length > 0 ? settings.Models.Select(ModelOptionsValidation.ResolvePath).ToArray() : EvaluationVariants.Available(Path.Combine(AppContext.BaseDirectory, "models")).ToArray();
        var variants = EvaluationVariants.Create(models, ParseResizes(settings.Resize)!, Path.Combine(settings.Output, "descriptors"));
        var target = new EvaluationTarget(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, settings.Storage, settings.Container, settings.Parallelism);
        AnsiConsole.MarkupLineInterpolated($"Evaluating {variants.Count} variant(s) on {entries.Count} photos from {manifestPath}");

        var reports = new List<QualityReport>();
        var vectors = new List<IReadOnlyList<float[]>>();
        foreach (var variant in variants)
        {
            var started = TimeProvider.System.GetTimestamp();
            var (report, variantVectors) = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Path.GetFileNameWithoutExtension(variant), maxValue: entries.Count);
                    return await CatalogEvaluation.RunAsync(target, entries, variant, new Progress<int>(n => task.Value = n), cancellationToken);
                });
            AnsiConsole.MarkupLineInterpolated($"{report.Label}: indexed and evaluated in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:F0} s");
            reports.Add(report);
            vectors.Add(variantVectors);
        }

        AnsiConsole.Write(QualityTables.Summary(reports));
        AnsiConsole.Write(QualityTables.ByCategory(reports[0]));
        Directory.CreateDirectory(settings.Output);
        var json = Path.Combine(settings.Output, "summary.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(reports, QualityTables.Json), cancellationToken);
        var html = Path.Combine(settings.Output, "report.html");
        await EvaluationReport.WriteAsync(html, target, entries, reports, vectors, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Wrote [blue]{json}[/] and [blue]{html}[/]");

        var gate = reports[0].Overall.ProductRecallAt4;
        if (settings.MinProductRecall4 is { } minimum && gate < minimum)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[red]Quality regression:[/] {reports[0].Label} same-product recall@4 is {gate.ToString("F3", CultureInfo.InvariantCulture)}, below {minimum.ToString("F3", CultureInfo.InvariantCulture)}.");
            return 3;
        }

        return 0;
    }

    private static InputResize[]? ParseResizes(string value)
    {
        var modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = modes.Select(m => m switch { "squash" => InputResize.Squash, "center-crop" => InputResize.CenterCrop, _ => (InputResize?)null }).ToArray();
        return parsed.Length == 0 || parsed.Any(p => p is null) ? null : parsed.Select(p => p!.Value).Distinct().ToArray();
    }
}
