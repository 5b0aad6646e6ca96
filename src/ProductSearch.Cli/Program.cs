using ProductSearch.Cli;
using ProductSearch.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("product-search");
    config.UseStrictParsing(); // a mistyped option is an error, not a silently ignored extra argument

    // The command table: one branch per area, one line per command.
    config.AddBranch("model", model =>
    {
        model.SetDescription("Build model files into models/.");
        model.AddCommand<BuildVgg16Command>("build-vgg16")
            .WithDescription("Download the Keras VGG16 ImageNet notop weights, check their MD5 and convert them to ONNX.")
            .WithExample("model", "build-vgg16")
            .WithExample("model", "build-vgg16", "--weights", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
    });
    config.AddCommand<EvalCommand>("eval")
        .WithDescription("Measure retrieval quality on labelled photos through the real indexing path, side by side for each model.")
        .WithExample("eval")
        .WithExample("eval", "--model", "models/resnet18.json", "--resize", "squash", "--min-product-recall4", "0.45");
});

using var cancellation = new CtrlCCancellation();
return await app.RunAsync(args, cancellation.Token);
