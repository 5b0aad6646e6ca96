using Onnx;
using ProductSearch.ModelBuilding.Quantization;

namespace ProductSearch.ModelBuilding;

/// <summary>Small constructors for the ONNX protobuf messages the builders need.</summary>
internal static class OnnxGraphParts
{
    public static TensorProto FloatInitializer(string name, float[] values, params long[] dims) => OnnxTensors.Floats(name, values, dims);

    public static ValueInfoProto FloatTensorInfo(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    public static TensorShapeProto.Types.Dimension Dim(string symbol) => new() { DimParam = symbol };

    /// <summary>A dimension ONNX Runtime infers itself (neither a value nor a symbol).</summary>
    public static TensorShapeProto.Types.Dimension UnknownDim() => new();

    public static NodeProto Node(string opType, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
