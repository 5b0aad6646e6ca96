using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>
/// Makes a float model ready for QDQ: batch normalisation folded, opset at least 13 (per-channel DequantizeLinear),
/// initializers no longer listed as graph inputs and unused ones dropped.
/// </summary>
internal static class ModelPreparation
{
    public const int MinimumOpset = 13;

    // Operators whose opset-8 form means the same at opset 13, so raising the version does not change the model.
    private static readonly HashSet<string> UpgradableOperators = new(StringComparer.Ordinal)
    {
        "Conv", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Add", "Concat", "Flatten",
    };

    public static ModelProto Prepare(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var prepared = model.Clone();
        var graph = prepared.Graph;
        BatchNormFolding.Apply(graph);

        var opset = prepared.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")
            ?? throw new InvalidDataException("The model imports no default ONNX opset.");
        if (opset.Version < MinimumOpset)
        {
            var unknown = graph.Node.Select(n => n.OpType).Where(op => !UpgradableOperators.Contains(op)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                throw new NotSupportedException(
                    $"The model is at opset {opset.Version}; raising it to {MinimumOpset} is only known safe without: {string.Join(", ", unknown)}.");
            }

            opset.Version = MinimumOpset;
        }

        // IR < 4 lists initializers as inputs too; from IR 4 on that makes them overridable, which stops constant folding.
        prepared.IrVersion = Math.Max(prepared.IrVersion, Vgg16OnnxBuilder.IrVersion);
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }

        foreach (var input in graph.Input.Where(i => initializers.Contains(i.Name)).ToList())
        {
            graph.Input.Remove(input);
        }

        return prepared;
    }
}
