using System.Text.Json.Nodes;
using ProductSearch.Features;
using ProductSearch.ModelBuilding;

using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.Benchmarks.Extraction;

/// <summary>
/// VGG16 for the extraction benchmark: the real converted model when models/vgg16-notop.onnx exists, otherwise
/// one converted from seeded synthetic weights of the Keras layout. Speed depends on the shapes, not the weights,
/// so both cost the same 30.7 GFLOP per 224x224 image.
/// </summary>
internal static class Vgg16Model
{
    public const double GflopPerImage = 30.7;

    /// <summary>A descriptor file naming <see cref="LoadOrBuildAsync"/>'s ONNX file, for code that takes a path (the app's settings).</summary>
    public static async Task<string> DescriptorFileAsync()
    {
        var model = await LoadOrBuildAsync();
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "models", "vgg16.json")))!;
        json["onnxFile"] = model.OnnxPath;
        var path = Path.Combine(Path.GetTempPath(), "vgg16-bench", "vgg16-bench.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, json.ToJsonString());
        return path;
    }

    public static async Task<ModelDescriptor> LoadOrBuildAsync()
    {
        var descriptor = ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "vgg16.json"));
        var real = Path.Combine(RepositoryPaths.Root, "models", Vgg16NotopWeights.OnnxFileName);
        if (File.Exists(real))
        {
            Console.WriteLine($"VGG16: the converted Keras weights at {real}");
            return descriptor with { OnnxPath = real };
        }

        var folder = Path.Combine(Path.GetTempPath(), "vgg16-bench");
        Directory.CreateDirectory(folder);
        var onnx = Path.Combine(folder, Vgg16NotopWeights.OnnxFileName);
        if (!File.Exists(onnx))
        {
            var weights = Path.Combine(folder, "vgg16_notop_synthetic.h5");
            SyntheticVgg16WeightsFile.Write(weights, seed: 16, KerasWeightNaming.Keras1Flat);
            using var http = new HttpClient();
            await new Vgg16ModelBuild(new KerasWeightsDownloader(http)).RunAsync(weights, onnx, null, null, CancellationToken.None);
        }

        Console.WriteLine($"VGG16: {onnx}, converted from synthetic weights of the Keras layout (the real file is not built here)");
        return descriptor with { OnnxPath = onnx };
    }
}
