using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Tooling.Import;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>import</c>: upload a folder of category folders of photos, with their products from an optional CSV.</summary>
internal sealed class ImportCommand(IAnsiConsole terminal) : CatalogCommand<ImportCommand.Settings>(terminal)
{
    internal sealed class Settings : CatalogSettings, IJsonSettings
    {
        [CommandArgument(0, "<FOLDER>")]
        [Description("Folder of category folders of photos (<folder>/<category>/<file>: JPEG, PNG, WebP), uploaded as <category>/<file>.")]
        public string Folder { get; init; } = "";

        [CommandOption("--csv <FILE>")]
        [Description("Catalogue CSV: header row, then image (<category>/<file> or <file> under FOLDER), category, product_id, and optional title, url, price, currency, labels (\"key=value,key=value\"). Default: no CSV, each photo's product id is its file name.")]
        public string? Csv { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON document instead of tables and progress, for programs.")]
        public bool Json { get; init; }

        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Only this category folder. Default: every category folder.")]
        public string? Category { get; init; }

        [CommandOption("-p|--parallelism <N>")]
        [Description("Photos sent at once (1 to 64). Default: 8.")]
        public int Parallelism { get; init; } = 8;

        public override bool RunsTheModel => false;

        public override ValidationResult Validate() =>
            !Directory.Exists(Folder) ? ValidationResult.Error($"The folder '{Folder}' does not exist.")
            : Csv is not null && !File.Exists(Csv) ? ValidationResult.Error($"--csv '{Csv}' does not exist.")
            : CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category)
            : CommonOptions.ParallelismError(Parallelism) is { } parallelism ? ValidationResult.Error(parallelism)
            : base.Validate();
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        Say($"Importing {settings.Folder}{(settings.Csv is null ? "" : $" with {settings.Csv}")} into {settings.Storage} (container {settings.Container})");
        var import = services.GetRequiredService<CatalogImport>();
        var report = Json
            ? await import.RunAsync(settings.Folder, settings.Csv, settings.Category, settings.Parallelism, progress: null, cancellationToken)
            : await BackfillProgressBar.RunAsync(
                Terminal, "Uploading", progress => import.RunAsync(settings.Folder, settings.Csv, settings.Category, settings.Parallelism, progress, cancellationToken));
        var exitCode = report.Failed > 0 ? Incomplete : 0;
        if (Json)
        {
            JsonOutput.Write(Terminal, new
            {
                report.Uploaded,
                report.MetadataUpdated,
                report.Unchanged,
                report.Refused,
                report.Failed,
                photos = report.Photos.Select(p => new { p.Path, p.BlobName, outcome = ImportReportView.Name(p.Outcome), p.Line, p.Reason }),
                report.BadRows,
                exitCode,
            });
        }
        else
        {
            ImportReportView.Write(Terminal, report);
        }

        return exitCode;
    }
}
