using ProductSearch.Cli;
using ProductSearch.Cli.Catalog;
using ProductSearch.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

TerminalWidth.Apply(AnsiConsole.Console);
var app = new CommandApp();
app.Configure(Program.ConfigureCommands);

using var cancellation = new CtrlCCancellation();
return await app.RunAsync(args, cancellation.Token);

internal sealed partial class Program
{
    /// <summary>The command table: one branch per area, one line per command. Tests run the same table.</summary>
    internal static void ConfigureCommands(IConfigurator config)
    {
        config.SetApplicationName("product-search");
        config.UseStrictParsing(); // a mistyped option is an error, not a silently ignored extra argument

        config.AddBranch("model", model =>
        {
            model.SetDescription("Build model files into models/.");
            model.AddCommand<BuildVgg16Command>("build-vgg16")
                .WithDescription("Download the Keras VGG16 ImageNet notop weights, check their MD5 and convert them to ONNX.")
                .WithExample("model", "build-vgg16")
                .WithExample("model", "build-vgg16", "--weights", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
            model.AddCommand<QuantizeCommand>("quantize")
                .WithDescription("Quantise a descriptor's ONNX model to static int8 (QDQ, per-channel int8 weights), calibrated on a folder of photos.")
                .WithExample("model", "quantize", "--model", "models/resnet18.json", "--photos", "catalogue-photos/")
                .WithExample("model", "quantize", "--model", "models/vgg16.json", "--photos", "catalogue-photos/", "--method", "percentile");
            model.AddCommand<FitWhiteningCommand>("fit-whitening")
                .WithDescription("Fit PCA-whitening for a descriptor on a catalogue's own photos (no labels) and write the whitening file.")
                .WithExample("model", "fit-whitening", "--model", "models/resnet18-l3l4.json", "--photos", "catalogue-photos/");
        });
        config.AddCommand<EvalCommand>("eval")
            .WithDescription("Measure retrieval quality on labelled photos through the real indexing path, side by side for each model.")
            .WithExample("eval")
            .WithExample("eval", "--model", "models/resnet18.json", "--resize", "squash", "--min-product-recall4", "0.45");

        config.AddCommand<ImportCommand>("import")
            .WithDescription("Upload a folder of category folders of photos, with product ids and attributes from an optional CSV; only what is new or changed is sent.")
            .WithExample("import", "../shared/datasets/products/magento-luma", "--category", "men-tees")
            .WithExample("import", "catalogue-photos/", "--csv", "catalogue.csv", "--json");
        config.AddCommand<BackfillCommand>("backfill")
            .WithDescription("Index the images already in the container (resumable: images already indexed at their version are skipped).")
            .WithExample("backfill", "--model", "models/resnet18.json")
            .WithExample("backfill", "--category", "men-tees", "--account", "stcatalogue", "--parallelism", "8");
        config.AddCommand<ReindexCommand>("reindex")
            .WithDescription("Compute another model's vectors into a table of their own while the app serves the old ones, then print how to switch.")
            .WithExample("reindex", "--model", "models/resnet18.json");
        config.AddCommand<QueryCommand>("query")
            .WithDescription("Most similar products to an indexed image or a photo from disk, as the storefront answers.")
            .WithExample("query", "--category", "men-tees", "--id", "ms01-blue_main.jpg", "--model", "models/resnet18.json")
            .WithExample("query", "--category", "men-tees", "--image", "photo.jpg", "--top", "8", "--group", "image");
        config.AddBranch("attributes", attributes =>
        {
            attributes.SetDescription("A product's labels and display fields (title, url, price, currency), without re-uploading its photos.");
            attributes.AddCommand<SetAttributesCommand>("set")
                .WithDescription("Replace a product's attributes (--merge: lay these over the stored ones); every instance shows them within the staleness bound.")
                .WithExample("attributes", "set", "men-tees", "MS01-blue", "--title", "Aero tee", "--price", "29.00", "--currency", "EUR", "--label", "color=blue", "--label", "instock=true");
            attributes.AddCommand<ShowAttributesCommand>("show")
                .WithDescription("A product's stored attributes.")
                .WithExample("attributes", "show", "men-tees", "MS01-blue");
            attributes.AddCommand<ClearAttributesCommand>("clear")
                .WithDescription("Remove a product's attributes: its answers show the photo-only tile.")
                .WithExample("attributes", "clear", "men-tees", "MS01-blue");
        });
        config.AddCommand<ReconcileCommand>("reconcile")
            .WithDescription("Remove the vectors of images whose blob is gone (the timer function's code, now).")
            .WithExample("reconcile", "--category", "men-tees");
        config.AddCommand<StatsCommand>("stats")
            .WithDescription("Categories, images and vectors per model id in each, and the images that could not be indexed.")
            .WithExample("stats");
    }
}
