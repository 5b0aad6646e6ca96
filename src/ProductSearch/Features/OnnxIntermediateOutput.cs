using Onnx;
using ProductSearch.Imaging;

namespace ProductSearch.Features;

/// <summary>
/// Patches an ONNX graph in memory (the file on disk is never changed) so a descriptor can (1) name any tensor inside
/// the graph, not only a declared output: ONNX Runtime returns only graph outputs, so the named value is appended to
/// <c>graph.output</c> (used to pool the last convolutional map of a model that ends in its own global average
/// pooling, ResNet18's <c>ReLU393_Output_0</c>); and (2) feed a fully convolutional model a larger input than it
/// declares (the map grows with it), which keeps more detail of a product. Stale stored shapes are dropped then.
/// </summary>
internal static class OnnxIntermediateOutput
{
    /// <summary>
    /// The patched model, or null when the file already fits the descriptor: every named tensor is a declared output
    /// and the input's declared spatial size is the descriptor's or left open.
    /// </summary>
    public static byte[]? Expose(string onnxPath, string tensorName, ModelInput? input = null) => Expose(onnxPath, [tensorName], input);

    /// <inheritdoc cref="Expose(string, string, ModelInput?)"/>
    public static byte[]? Expose(string onnxPath, IReadOnlyList<string> tensorNames, ModelInput? input = null)
    {
        // Most descriptors need no patch, which the graph's declared inputs and outputs tell without parsing the weights.
        var header = OnnxGraphHeader.Read(onnxPath);
        var inputFits = input is null || Fits(header.Inputs.FirstOrDefault(i => i.Name == input.Name)?.Type?.TensorType?.Shape, input);
        if (inputFits && tensorNames.All(name => header.Outputs.Any(o => o.Name == name)))
        {
            return null;
        }

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        var graph = model.Graph;
        var resized = input is not null && Resize(graph, input);
        var missing = tensorNames.Where(name => !graph.Output.Any(o => o.Name == name)).Distinct().ToList();
        if (!resized && missing.Count == 0)
        {
            return null;
        }

        foreach (var name in missing)
        {
            if (!graph.Node.Any(n => n.Output.Contains(name)))
            {
                var declared = string.Join(", ", graph.Output.Select(o => o.Name));
                throw new InvalidDataException(
                    $"The model {onnxPath} has no tensor named '{name}': it is neither an output ({declared}) nor produced by any node.");
            }

            // The shape inference stored in value_info gives ONNX Runtime a fixed shape; without it, only the element type.
            var info = (resized ? null : graph.ValueInfo.FirstOrDefault(v => v.Name == name)?.Clone()) ?? FloatTensor(name);
            graph.Output.Add(info);
        }

        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }

    // A spatial size left open (a symbolic or absent dimension) fits any input size.
    private static bool Fits(TensorShapeProto? declared, ModelInput input)
    {
        if (declared is null || declared.Dim.Count != 4)
        {
            return true;
        }

        var (h, w) = input.Layout == TensorLayout.Nchw ? (2, 3) : (1, 2);
        return (declared.Dim[h].DimValue <= 0 || declared.Dim[h].DimValue == input.Height)
            && (declared.Dim[w].DimValue <= 0 || declared.Dim[w].DimValue == input.Width);
    }

    // Sets the input's spatial size to the descriptor's; true when it changed.
    private static bool Resize(GraphProto graph, ModelInput input)
    {
        var declared = graph.Input.FirstOrDefault(i => i.Name == input.Name)?.Type?.TensorType?.Shape;
        if (declared is null || declared.Dim.Count != 4)
        {
            return false;
        }

        var (h, w) = input.Layout == TensorLayout.Nchw ? (2, 3) : (1, 2);
        if (declared.Dim[h].DimValue == input.Height && declared.Dim[w].DimValue == input.Width)
        {
            return false;
        }

        declared.Dim[h] = new TensorShapeProto.Types.Dimension { DimValue = input.Height };
        declared.Dim[w] = new TensorShapeProto.Types.Dimension { DimValue = input.Width };
        // Every stored intermediate and output shape was inferred for the old size.
        graph.ValueInfo.Clear();
        for (var i = 0; i < graph.Output.Count; i++)
        {
            graph.Output[i] = FloatTensor(graph.Output[i].Name);
        }

        return true;
    }

    private static ValueInfoProto FloatTensor(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };
}
