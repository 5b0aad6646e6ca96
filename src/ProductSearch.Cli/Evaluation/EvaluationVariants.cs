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
                if (descriptor.WhiteningPath is not null)
                {
                    json["whiteningFile"] = descriptor.WhiteningPath;
                }

                json["input"]!["resize"] = resize == InputResize.CenterCrop ? "centerCrop" : "squash";
                var variantPath = Path.Combine(folder, $"{descriptor.Id}{suffix}.json");
                File.WriteAllText(variantPath, json.ToJsonString());
                variants.Add(variantPath);
            }
        }

        return variants;
    }

    /// <summary>
    /// The variant with a whitening file: a new descriptor beside it, with its own id (so its vectors go to their own
    /// table) and <c>whiteningFile</c> pointing at <paramref name="whiteningPath"/>.
    /// </summary>
    public static string Whitened(string variantPath, string whiteningPath, string suffix)
    {
        var json = JsonNode.Parse(File.ReadAllText(variantPath))!.AsObject();
        var id = json["id"]!.GetValue<string>() + suffix;
        json["id"] = id;
        json["onnxFile"] = ModelDescriptor.Load(variantPath).OnnxPath;
        json["whiteningFile"] = Path.GetFullPath(whiteningPath);
        var path = Path.Combine(Path.GetDirectoryName(variantPath)!, $"{id}.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>Every descriptor in <paramref name="modelsFolder"/> whose ONNX file exists.</summary>
    public static IEnumerable<string> Available(string modelsFolder) =>
        Directory.EnumerateFiles(modelsFolder, "*.json")
            .Where(p => File.Exists(ModelDescriptor.Load(p).OnnxPath))
            .OrderBy(p => p, StringComparer.Ordinal);
}
