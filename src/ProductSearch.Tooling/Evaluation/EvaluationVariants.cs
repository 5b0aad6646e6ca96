using System.Text.Json.Nodes;
using ProductSearch.Features;
using ProductSearch.Imaging;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>
/// The descriptors an evaluation compares: each available model, each with the preprocessing options asked
/// for. A variant is a descriptor file written to a temp folder with its own model id, so its vectors never
/// mix with another variant's.
/// </summary>
public static class EvaluationVariants
{
    /// <param name="mirror">Also average each photo with its mirror image (<c>input.averageWithMirror</c>, id suffix <c>+mirror</c>).</param>
    public static IReadOnlyList<string> Create(IEnumerable<string> descriptorPaths, IReadOnlyList<InputResize> resizes, string folder, bool mirror = false)
    {
        Directory.CreateDirectory(folder);
        var variants = new List<string>();
        foreach (var path in descriptorPaths)
        {
            var descriptor = ModelDescriptor.Load(path);
            foreach (var resize in resizes)
            {
                var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                var suffix = (resize == descriptor.Input.Resize ? "" : resize == InputResize.CenterCrop ? "+crop" : "+squash") + (mirror ? "+mirror" : "");
                json["id"] = descriptor.Id + suffix;
                json["onnxFile"] = descriptor.OnnxPath;
                if (descriptor.WhiteningPath is not null)
                {
                    json["whiteningFile"] = descriptor.WhiteningPath;
                }

                json["input"]!["resize"] = resize == InputResize.CenterCrop ? "centerCrop" : "squash";
                if (mirror)
                {
                    json["input"]!["averageWithMirror"] = true;
                }

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

    /// <summary>The descriptor an evaluation leads with when none is named: the recommended one, which the quality gate holds.</summary>
    public const string Recommended = "resnet18-l3l4.json";

    /// <summary>Every descriptor in <paramref name="modelsFolder"/> whose ONNX file exists, <see cref="Recommended"/> first (the headline).</summary>
    public static IEnumerable<string> Available(string modelsFolder) =>
        Directory.EnumerateFiles(modelsFolder, "*.json")
            .Where(p => File.Exists(ModelDescriptor.Load(p).OnnxPath))
            .OrderBy(p => Path.GetFileName(p) == Recommended ? 0 : 1)
            .ThenBy(p => p, StringComparer.Ordinal);
}
