using System.Text.Json.Nodes;
using ProductSearch.Features;

namespace ProductSearch.Benchmarks;

/// <summary>
/// A copy of a bundled descriptor without its colour histogram: the app as it was before colour, so a benchmark
/// measures today and colour in the same run.
/// </summary>
internal static class ShapeOnlyDescriptor
{
    public static string Create(string descriptor)
    {
        var path = ModelOptionsValidation.ResolvePath(descriptor);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove("colour");
        json["onnxFile"] = ModelDescriptor.Load(path).OnnxPath;
        var copy = Path.Combine(Path.GetTempPath(), $"shape-only-{Guid.NewGuid():N}-{Path.GetFileName(path)}");
        File.WriteAllText(copy, json.ToJsonString());
        return copy;
    }
}
