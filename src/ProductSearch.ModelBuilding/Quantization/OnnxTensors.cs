using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Reads float initializers and writes the typed ones QDQ needs.</summary>
internal static class OnnxTensors
{
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"Initializer '{tensor.Name}' is of ONNX type {tensor.DataType}, not float.");
        }

        if (tensor.ExternalData.Count > 0)
        {
            throw new NotSupportedException($"Initializer '{tensor.Name}' is stored outside the model file; load it inline first.");
        }

        // Exporters write either raw little-endian bytes or the repeated float field; both are valid ONNX.
        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
    }

    public static TensorProto Floats(string name, float[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Int8(string name, sbyte[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Int32(string name, int[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto UInt8Scalar(string name, byte value) =>
        Raw(name, TensorProto.Types.DataType.Uint8, [value]);

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, params long[] dims)
    {
        // raw_data is little-endian by definition, as is every platform .NET runs this on.
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
