using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Rewrites a prepared graph in place with the Q/DQ pairs and int8 weights a <see cref="QuantizationPlan"/> calls for.</summary>
internal sealed class QdqGraphWriter(GraphProto graph, IReadOnlyDictionary<string, (float Scale, byte ZeroPoint)> parameters, QuantizationOptions options)
{
    private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public void Rewrite(QuantizationPlan plan)
    {
        var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var convolutions = plan.Convolutions.ToHashSet();
        var nodes = new List<NodeProto>();

        // A graph input cannot be renamed (callers feed it by name), so its consumers read a new dequantised tensor.
        var rewired = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in plan.Tensors.Where(graphInputs.Contains))
        {
            rewired[input] = $"{input}/dequantized";
            nodes.AddRange(Pair(input, input, rewired[input]));
        }

        foreach (var node in graph.Node)
        {
            // Weights first: the bias scale needs the Conv's input under its original name.
            if (convolutions.Contains(node))
            {
                nodes.AddRange(QuantizeWeights(node, plan));
            }

            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = rewired.GetValueOrDefault(node.Input[i], node.Input[i]);
            }

            // Every other tensor keeps its name on the DequantizeLinear output, so consumers and graph outputs are untouched.
            var pairs = new List<NodeProto>();
            for (var o = 0; o < node.Output.Count; o++)
            {
                var tensor = node.Output[o];
                if (parameters.ContainsKey(tensor))
                {
                    node.Output[o] = $"{tensor}/float";
                    pairs.AddRange(Pair(tensor, node.Output[o], tensor));
                }
            }

            nodes.Add(node);
            nodes.AddRange(pairs);
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
    }

    private IEnumerable<NodeProto> Pair(string tensor, string floatInput, string dequantizedOutput)
    {
        var (scale, zeroPoint) = parameters[tensor];
        var (scaleName, zeroName, quantized) = ($"{tensor}/scale", $"{tensor}/zero_point", $"{tensor}/uint8");
        graph.Initializer.Add(OnnxTensors.Floats(scaleName, [scale]));
        graph.Initializer.Add(OnnxTensors.UInt8Scalar(zeroName, zeroPoint));
        var quantize = new NodeProto { OpType = "QuantizeLinear", Name = $"{tensor}/QuantizeLinear" };
        quantize.Input.AddRange([floatInput, scaleName, zeroName]);
        quantize.Output.Add(quantized);
        var dequantize = new NodeProto { OpType = "DequantizeLinear", Name = $"{tensor}/DequantizeLinear" };
        dequantize.Input.AddRange([quantized, scaleName, zeroName]);
        dequantize.Output.Add(dequantizedOutput);
        return [quantize, dequantize];
    }

    private List<NodeProto> QuantizeWeights(NodeProto conv, QuantizationPlan plan)
    {
        var kernelTensor = _initializers[conv.Input[1]];
        var outputChannels = (int)kernelTensor.Dims[0];
        var (kernel, weightScales) = ConvolutionWeights.QuantizeKernel(
            OnnxTensors.ReadFloats(kernelTensor), outputChannels, options.FullRangeWeights ? ConvolutionWeights.FullRangeLimit : ConvolutionWeights.SevenBitLimit);
        var prefix = conv.Name.Length > 0 ? conv.Name : conv.Output[0];
        var nodes = new List<NodeProto>
        {
            AddChannelDequantize($"{prefix}/kernel", OnnxTensors.Int8($"{prefix}/kernel/int8", kernel, [.. kernelTensor.Dims]),
                weightScales, OnnxTensors.Int8($"{prefix}/kernel/zero_point", new sbyte[outputChannels], outputChannels), conv, 1),
        };

        if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
        {
            var inputScale = parameters[plan.RangeSource[conv.Input[0]]].Scale;
            var (bias, biasScales) = ConvolutionWeights.QuantizeBias(OnnxTensors.ReadFloats(_initializers[conv.Input[2]]), inputScale, weightScales);
            nodes.Add(AddChannelDequantize($"{prefix}/bias", OnnxTensors.Int32($"{prefix}/bias/int32", bias, outputChannels),
                biasScales, OnnxTensors.Int32($"{prefix}/bias/zero_point", new int[outputChannels], outputChannels), conv, 2));
        }

        return nodes;
    }

    // Adds the quantised initializer, its per-channel scales and zero points, and the DequantizeLinear the Conv now reads.
    private NodeProto AddChannelDequantize(string prefix, TensorProto quantized, float[] scales, TensorProto zeroPoints, NodeProto conv, int input)
    {
        var scaleName = $"{prefix}/scale";
        graph.Initializer.Add(quantized);
        graph.Initializer.Add(OnnxTensors.Floats(scaleName, scales, scales.Length));
        graph.Initializer.Add(zeroPoints);
        var original = conv.Input[input];
        conv.Input[input] = $"{prefix}/dequantized";
        RemoveIfUnused(original, conv);
        return ConvolutionWeights.Dequantize($"{prefix}/DequantizeLinear", [quantized.Name, scaleName, zeroPoints.Name], conv.Input[input]);
    }

    private void RemoveIfUnused(string initializer, NodeProto except)
    {
        if (_initializers.TryGetValue(initializer, out var tensor) && !graph.Node.Any(n => n != except && n.Input.Contains(initializer)))
        {
            graph.Initializer.Remove(tensor);
        }
    }
}
