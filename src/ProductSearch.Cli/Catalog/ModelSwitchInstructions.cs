using ProductSearch.Cli.Commands;
using Spectre.Console;

namespace ProductSearch.Cli.Catalog;

/// <summary>What to do once a reindex is complete: the switch is the operator's, two settings changed together.</summary>
internal static class ModelSwitchInstructions
{
    public static void Write(IAnsiConsole terminal, ReindexCommand.Settings settings, string modelId, string target)
    {
        var model = settings.Model!;
        if (settings.Category is not null)
        {
            terminal.MarkupLineInterpolated($"Category {settings.Category} is reindexed with {modelId} in table {target}. Compare the answers before switching:");
            terminal.WriteLine($"  product-search query --category {settings.Category} --id <image> --model {model} --table {target}");
            terminal.WriteLine("Reindex without --category before switching: the switch applies to every category.");
            return;
        }

        terminal.MarkupLineInterpolated($"[green]Complete:[/] table {target} holds a {modelId} vector of every image that could be indexed.");
        terminal.WriteLine("To switch, set both app settings in one change (the app restarts on the new model and table):");
        terminal.WriteLine($"  az functionapp config appsettings set -g <resource group> -n <app> --settings Model__Descriptor={model} Storage__VectorTable={target}");
        terminal.WriteLine("(the descriptor and its ONNX file must be in the deployed package). Then catch up once, on the new table:");
        terminal.WriteLine($"  product-search backfill --model {model} --table {target}");
        terminal.WriteLine("It indexes only the images uploaded or changed while the old app was still indexing into the old table.");
        terminal.WriteLine($"To switch back, set the two settings to their old values: table {settings.Table} is left as it was.");
    }
}
