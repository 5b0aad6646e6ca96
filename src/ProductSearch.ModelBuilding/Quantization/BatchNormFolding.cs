using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>
/// Folds each BatchNormalization that directly follows a Conv into that Conv's weights and bias. ONNX Runtime does the
/// same at load time for float models, but a Q/DQ pair between the two would stop it, and the int8 weights must be
/// the folded ones for the per-channel scales to fit.
/// </summary>
internal static class BatchNormFolding
{
    public static void Apply(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var norm in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (norm.Input.Count != 5 || !producers.TryGetValue(norm.Input[0], out var conv) || conv.OpType != "Conv"
                || outputs.Contains(conv.Output[0]) || graph.Node.Count(n => n.Input.Contains(conv.Output[0])) != 1
                || !norm.Input.Skip(1).Append(conv.Input[1]).Concat(conv.Input.Skip(2)).All(initializers.ContainsKey))
            {
                continue;
            }

            Fold(graph, conv, norm, initializers);
            conv.Output[0] = norm.Output[0];
            graph.Node.Remove(norm);
        }
    }

    private static void Fold(GraphProto graph, NodeProto conv, NodeProto norm, Dictionary<string, TensorProto> initializers)
    {
        var epsilon = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        var (gamma, beta, mean, variance) = (Read(norm, 1), Read(norm, 2), Read(norm, 3), Read(norm, 4));
        var kernel = initializers[conv.Input[1]];
        var weights = OnnxTensors.ReadFloats(kernel);
        var channels = gamma.Length;
        var perChannel = weights.Length / channels;
        var bias = conv.Input.Count > 2 ? OnnxTensors.ReadFloats(initializers[conv.Input[2]]) : new float[channels];
        var foldedBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // y = gamma (conv(x) + b - mean) / sqrt(var + eps) + beta, i.e. a per-output-channel scale and shift.
            var scale = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
            foreach (ref var weight in weights.AsSpan(c * perChannel, perChannel))
            {
                weight *= scale;
            }

            foldedBias[c] = ((bias[c] - mean[c]) * scale) + beta[c];
        }

        var weightName = $"{conv.Name}/folded_kernel";
        var biasName = $"{conv.Name}/folded_bias";
        graph.Initializer.Add(OnnxTensors.Floats(weightName, weights, [.. kernel.Dims]));
        graph.Initializer.Add(OnnxTensors.Floats(biasName, foldedBias, channels));
        conv.Input[1] = weightName;
        if (conv.Input.Count > 2)
        {
            conv.Input[2] = biasName;
        }
        else
        {
            conv.Input.Add(biasName);
        }

        float[] Read(NodeProto node, int input) => OnnxTensors.ReadFloats(initializers[node.Input[input]]);
    }
}
