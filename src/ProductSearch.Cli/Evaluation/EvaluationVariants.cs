using System.Text.Json.Nodes;
using ProductSearch.Features;

namespace ProductSearch.Cli.Evaluation;

/// <summary>
/// The descriptors an evaluation compares: each available model, each with the preprocessing options asked
/// for. A variant is a descriptor file written to a temp folder with its own model id, so its vectors never
/// mix with another variant's.
/// </summary>
internal static class EvaluationVariants
{
    public static IReadOnlyList<string> Create(IEnumerable<string> descriptorPaths, IReadOnlyList<InputResize> resizes, string folder)
    {
        Directory.CreateDirectory(folder);
        var variants = new List<string>();
        foreach (var path in descriptorPaths)
        {
            var descriptor = ModelDescriptor.Load(path);
            foreach (var resize in resizes)
            {
                var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                var suffix = resize == descriptor.Input.Resize ? "" : resize == InputResize.CenterCrop ? "+crop" : "+squash";
                json["id"] = descriptor.Id + suffix;
                json["onnxFile"] = descriptor.OnnxPath;
                json["input"]!["resize"] = resize == InputResize.CenterCrop ? "centerCrop" : "squash";
                var variantPath = Path.Combine(folder, $"{descriptor.Id}{suffix}.json");
                File.WriteAllText(variantPath, json.ToJsonString());
                variants.Add(variantPath);
            }
        }

        return variants;
    }

    /// <summary>Every descriptor in <paramref name="modelsFolder"/> whose ONNX file exists.</summary>
    public static IEnumerable<string> Available(string modelsFolder) =>
        Directory.EnumerateFiles(modelsFolder, "*.json")
            .Where(p => File.Exists(ModelDescriptor.Load(p).OnnxPath))
            .OrderBy(p => p, StringComparer.Ordinal);
}
