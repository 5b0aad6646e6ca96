using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ProductSearch.Cli.Catalog;
using ProductSearch.Cli.Evaluation;
using ProductSearch.Imaging;
using ProductSearch.ModelBuilding;
using ProductSearch.Search;
using ProductSearch.Tooling.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>eval</c>: retrieval quality of each model on a labelled photo set, through the real indexing path.</summary>
internal sealed class EvalCommand(IAnsiConsole terminal) : AsyncCommand<EvalCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--manifest <PATH>")]
        [Description("Manifest of labelled photos (path,category,product_id[[,style_id]]). Default: ../shared/datasets/products/manifest.csv beside the repository.")]
        public string? Manifest { get; init; }

        [CommandOption("-m|--model <DESCRIPTOR>")]
        [Description("Model descriptor(s) to evaluate; found from the working folder, the repository root or the CLI's folder (models/resnet18.json). Default: every descriptor in models/ whose ONNX file exists.")]
        public string[] Models { get; init; } = [];

        [CommandOption("--resize <MODES>")]
        [Description("Preprocessing to compare, comma-separated: squash (the notebook's), center-crop. Default: both.")]
        public string Resize { get; init; } = "squash,center-crop";

        [CommandOption("--storage <CONNECTION>")]
        [Description("Storage connection string. Default: the ProductStorage environment variable when set, else Azurite on its default ports (npm run azurite).")]
        public string Storage { get; init; } = CatalogSettings.DefaultConnectionString;

        [CommandOption("--container <NAME>")]
        [Description("Prefix of the container the photos are uploaded to; each run adds a unique suffix and deletes its container at the end. Default: eval-photos.")]
        public string Container { get; init; } = "eval-photos";

        [CommandOption("-o|--output <DIR>")]
        [Description("Where the JSON summary and the HTML report go. Default: artifacts/eval.")]
        public string Output { get; init; } = Path.Combine("artifacts", "eval");

        [CommandOption("-p|--parallelism <N>")]
        [Description("Photos indexed at once. Default: the processor count.")]
        public int Parallelism { get; init; } = Environment.ProcessorCount;

        [CommandOption("--whiten")]
        [Description("Also evaluate each variant with PCA-whitening fitted on the evaluated photos' own vectors (no labels are read; transductive, like a shop fitting it on its own catalogue).")]
        public bool Whiten { get; init; }

        [CommandOption("--whiten-dimensions <N>")]
        [Description("Principal axes kept by --whiten. Default: all.")]
        public int? WhitenDimensions { get; init; }

        [CommandOption("--whiten-power <P>")]
        [Description("Eigenvalue exponent of --whiten: 0.5 whitens fully, which cost category precision on other photos. Default: 0.25.")]
        public double WhitenPower { get; init; } = 0.25;

        [CommandOption("--mirror")]
        [Description("Evaluate each variant with mirror averaging (input.averageWithMirror: the photo and its mirror image, averaged; a second inference per photo).")]
        public bool Mirror { get; init; }

        [CommandOption("--colour-weights <LIST>")]
        [Description("Colour weights w to compare, comma-separated, for models that declare colour (d^2 = (d_cnn^2 + w^2 d_colour^2) / (1 + w^2)); the default weight (Search:DefaultColourWeight) is always first. Default: 0,0.2,0.3,0.35,0.4,0.5,0.7,1.")]
        public string ColourWeights { get; init; } = "0,0.2,0.3,0.35,0.4,0.5,0.7,1";

        [CommandOption("--query-expansion <K>")]
        [Description("Also evaluate each variant with α-query expansion over the K nearest images, comma-separated (e.g. 1,2,3), as Search:QueryExpansionNeighbours does.")]
        public string QueryExpansion { get; init; } = "";

        [CommandOption("--qe-alpha <ALPHA>")]
        [Description("α of --query-expansion (Search:QueryExpansionAlpha). Default: 3.")]
        public float QueryExpansionAlpha { get; init; } = 3f;

        [CommandOption("--near-duplicates <N>")]
        [Description("Also measure, on N sampled photos of the first variant, the distance of a re-encoded and a half-size copy, against two shots of a product. Default: 0 (off).")]
        public int NearDuplicates { get; init; }

        [CommandOption("--min-product-recall4 <VALUE>")]
        [Description("Fail (exit code 3) when the first variant's same-product recall@4 falls below this.")]
        public double? MinProductRecall4 { get; init; }

        [CommandOption("--json")]
        [Description("Print the figures as one JSON document on the output; progress and tables go to the error output.")]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (Parallelism is < 1 or > 64)
            {
                return ValidationResult.Error("--parallelism must be from 1 to 64.");
            }

            if (Models.Select(m => DescriptorPath.Error(m)).FirstOrDefault(e => e is not null) is { } modelError)
            {
                return ValidationResult.Error(modelError);
            }

            if (ParseWeights(ColourWeights) is null)
            {
                return ValidationResult.Error($"--colour-weights takes numbers from 0 to {SearchOptions.MaxColourWeight}, not '{ColourWeights}'.");
            }

            if (ParseNeighbours(QueryExpansion) is null)
            {
                return ValidationResult.Error($"--query-expansion takes neighbour counts from 1 to 10, not '{QueryExpansion}'.");
            }

            return ParseResizes(Resize) is null
                ? ValidationResult.Error($"--resize takes squash and/or center-crop, not '{Resize}'.")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // With --json the output carries the JSON document alone: everything for people goes to the error output.
        var people = settings.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : terminal;
        if (settings.Json)
        {
            TerminalWidth.Apply(people);
        }

        Uri[] endpoints = [new Azure.Storage.Blobs.BlobServiceClient(settings.Storage).Uri, new Azure.Data.Tables.TableServiceClient(settings.Storage).Uri];
        if (await StorageReachability.ProblemAsync("the --storage account", endpoints, cancellationToken) is { } unreachable)
        {
            people.MarkupLineInterpolated($"[red]error:[/] {unreachable}");
            return StorageReachability.Unreachable;
        }

        var repository = Path.GetDirectoryName(ModelsFolder.Locate(Environment.CurrentDirectory))!;
        var manifestPath = settings.Manifest ?? Path.Combine(repository, "..", "shared", "datasets", "products", "manifest.csv");
        if (!File.Exists(manifestPath))
        {
            people.MarkupLineInterpolated($"[red]error:[/] no manifest at {manifestPath}; pass --manifest.");
            return 1;
        }

        var entries = ProductManifest.Read(manifestPath);
        var models = settings.Models.Length > 0 ? settings.Models.Select(DescriptorPath.Resolve).ToArray() : EvaluationVariants.Available(Path.Combine(AppContext.BaseDirectory, "models")).ToArray();
        var variants = EvaluationVariants.Create(models, ParseResizes(settings.Resize)!, Path.Combine(settings.Output, "descriptors"), settings.Mirror);
        // A container of this run's own, deleted at the end: a run never scores blobs another run left under the same names.
        var target = new EvaluationTarget(
            Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, settings.Storage, CatalogEvaluation.RunContainerName(settings.Container), settings.Parallelism);
        people.MarkupLineInterpolated($"Evaluating {variants.Count} variant(s) on {entries.Count} photos from {manifestPath}");
        var plan = new EvaluationPlan(target, entries, variants)
        {
            ColourWeights = ParseWeights(settings.ColourWeights)!,
            ExpansionNeighbours = ParseNeighbours(settings.QueryExpansion)!,
            ExpansionAlpha = settings.QueryExpansionAlpha,
            Whitening = settings.Whiten ? new WhiteningPlan(settings.WhitenDimensions, settings.WhitenPower) : null,
            NearDuplicateSample = settings.NearDuplicates,
        };
        var results = await EvaluationSweep.RunAsync(plan, new EvaluationProgressBars(people), TimeProvider.System, cancellationToken);

        var reports = results.Reports;
        people.Write(QualityTables.Summary(reports, results.Subsets));
        people.Write(QualityTables.ByCategory(reports[0], results.Subsets));
        Directory.CreateDirectory(settings.Output);
        var json = Path.Combine(settings.Output, "summary.json");
        // The headline (the first variant at the default colour weight) under a key of its own: what the quality gate reads.
        var summary = new { headline = reports[0], subsets = results.Subsets, reports };
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(summary, QualityTables.Json), cancellationToken);
        var html = Path.Combine(settings.Output, "report.html");
        await EvaluationReport.WriteAsync(html, target.DatasetRoot, entries.Count, results, cancellationToken);
        if (results.ColourSweep.Count > 0)
        {
            people.Write(QualityTables.ColourTradeOff(reports[0].Label, results.ColourSweep, results.Subsets));
        }

        people.MarkupLineInterpolated($"Wrote [blue]{json}[/] and [blue]{html}[/]");
        if (results.NearDuplicates is { } spreads)
        {
            people.Write(QualityTables.NearDuplicates(reports[0].Label, spreads));
            await File.WriteAllTextAsync(Path.Combine(settings.Output, "near-duplicates.json"), JsonSerializer.Serialize(spreads, QualityTables.Json), cancellationToken);
        }

        var gate = reports[0].Overall.ProductRecallAt4;
        var belowGate = settings.MinProductRecall4 is { } floor && gate < floor;
        if (settings.Json)
        {
            JsonOutput.Write(terminal, new { summary.headline, summary.subsets, reports, summaryFile = json, reportFile = html, exitCode = belowGate ? 3 : 0 });
        }

        if (belowGate)
        {
            people.MarkupLineInterpolated(
                $"[red]Quality regression:[/] {reports[0].Label} same-product recall@4 is {gate.ToString("F3", CultureInfo.InvariantCulture)}, below {settings.MinProductRecall4!.Value.ToString("F3", CultureInfo.InvariantCulture)}.");
            return 3;
        }

        return 0;
    }

    private static float[]? ParseWeights(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = parts.Select(p => float.TryParse(p, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var w) && w <= SearchOptions.MaxColourWeight ? w : -1).ToArray();
        return parsed.Any(w => w < 0) ? null : parsed.Distinct().ToArray();
    }

    private static int[]? ParseNeighbours(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 10 ? k : -1).ToArray();
        return parsed.Any(k => k < 0) ? null : parsed.Distinct().ToArray();
    }

    private static InputResize[]? ParseResizes(string value)
    {
        var modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = modes.Select(m => m switch { "squash" => InputResize.Squash, "center-crop" => InputResize.CenterCrop, _ => (InputResize?)null }).ToArray();
        return parsed.Length == 0 || parsed.Any(p => p is null) ? null : parsed.Select(p => p!.Value).Distinct().ToArray();
    }
}
