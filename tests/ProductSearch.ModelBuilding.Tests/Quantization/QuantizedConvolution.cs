using System.Runtime.InteropServices;
using Onnx;

namespace ProductSearch.ModelBuilding.Tests.Quantization;

/// <summary>
/// One Conv of a quantised QDQ model as the int8 kernels see it: its int8 weights and the uint8 quantisation of its
/// input, read from the model's own initializers.
/// </summary>
internal sealed record QuantizedConvolution(NodeProto Conv, sbyte[] Weights, long[] WeightDims, TensorProto.Types.DataType InputType, float InputScale, int InputZeroPoint)
{
    public static IReadOnlyList<QuantizedConvolution> All(ModelProto model)
    {
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        return [.. model.Graph.Node.Where(n => n.OpType == "Conv").Select(conv =>
        {
            var weights = initializers[Dequantize(conv.Input[1]).Input[0]];
            var input = Dequantize(conv.Input[0]);
            var zeroPoint = initializers[input.Input[2]];
            return new QuantizedConvolution(
                conv,
                [.. MemoryMarshal.Cast<byte, sbyte>(weights.RawData.Span)],
                [.. weights.Dims],
                (TensorProto.Types.DataType)zeroPoint.DataType,
                MemoryMarshal.Cast<byte, float>(initializers[input.Input[1]].RawData.Span)[0],
                zeroPoint.RawData.Span[0]);
        })];

        NodeProto Dequantize(string tensor) => producers[tensor] is { OpType: "DequantizeLinear" } node
            ? node
            : throw new InvalidDataException($"'{tensor}' does not come from a DequantizeLinear.");
    }

    public string Name => Conv.Name;

    public int LargestWeight => Weights.Max(w => Math.Abs((int)w));
}
