using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using ProductSearch.Features;
using ProductSearch.Imaging;

namespace ProductSearch.Tests.Features;

public sealed class OnnxIntermediateOutputTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.onnx");

    public OnnxIntermediateOutputTests() => File.WriteAllBytes(_path, ReluThenAveragePool().ToByteArray());

    [Fact]
    public void AnInternalTensorBecomesAnOutputTheSessionCanReturn()
    {
        var patched = OnnxIntermediateOutput.Expose(_path, "relu");

        using var session = new InferenceSession(patched!);
        Assert.Equal([1, 2, 2, 2], session.OutputMetadata["relu"].Dimensions);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { -1, 2, -3, 4, 5, -6, 7, -8 }, [1, 2, 2, 2]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["relu"]);
        Assert.Equal([0f, 2, 0, 4, 5, 0, 7, 0], outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void SeveralTensorsCanBeExposedAtOnce()
    {
        var patched = OnnxIntermediateOutput.Expose(_path, ["relu", "pooled"]);

        using var session = new InferenceSession(patched!);
        Assert.Equal(["pooled", "relu"], session.OutputMetadata.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ALargerInputThanDeclaredIsAcceptedAndItsMapGrows()
    {
        var patched = OnnxIntermediateOutput.Expose(_path, "relu", new ModelInput { Name = "x", Width = 4, Height = 4 });

        using var session = new InferenceSession(patched!);
        using var input = OrtValue.CreateTensorValueFromMemory(new float[2 * 4 * 4], [1, 2, 4, 4]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["relu"]);
        Assert.Equal([1L, 2, 4, 4], outputs[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void ADeclaredOutputNeedsNoPatch()
    {
        Assert.Null(OnnxIntermediateOutput.Expose(_path, "pooled"));
    }

    [Fact]
    public void ATensorNoNodeProducesIsRefusedWithItsName()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxIntermediateOutput.Expose(_path, "nowhere"));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHeaderGivesTheDeclaredInputsAndOutputsOfAFullParseWithoutTheWeights()
    {
        var model = ReluThenAveragePool();
        // Weights before and after the declarations, as exporters write them, and a node list between.
        var weights = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[4 << 20]) };
        weights.Dims.Add(1 << 20);
        model.Graph.Initializer.Add(weights);
        model.Graph.ValueInfo.Add(new ValueInfoProto { Name = "after" });
        model.ProducerName = "test";
        File.WriteAllBytes(_path, model.ToByteArray());

        var header = OnnxGraphHeader.Read(_path);

        Assert.Equal(model.Graph.Input, header.Inputs);
        Assert.Equal(model.Graph.Output, header.Outputs);
    }

    [Fact]
    public void ADamagedFileIsRefusedWithAClearErrorNotAHugeAllocation()
    {
        var bytes = ReluThenAveragePool().ToByteArray();
        File.WriteAllBytes(_path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => OnnxGraphHeader.Read(_path));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInputWhoseSizeIsLeftOpenNeedsNoPatchForItsDeclaredOutputs()
    {
        var model = ReluThenAveragePool();
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        dims[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        File.WriteAllBytes(_path, model.ToByteArray());
        var input = new ModelInput { Name = "x", Width = 4, Height = 4 };

        Assert.Null(OnnxIntermediateOutput.Expose(_path, "pooled", input));
        Assert.NotNull(OnnxIntermediateOutput.Expose(_path, "relu", input));
    }

    public void Dispose() => File.Delete(_path);

    private static ModelProto ReluThenAveragePool()
    {
        static ValueInfoProto Float(string name, params long[] shape)
        {
            var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
            tensor.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
            return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
        }

        var graph = new GraphProto { Name = "relu_pool" };
        graph.Input.Add(Float("x", 1, 2, 2, 2));
        graph.Node.Add(new NodeProto { OpType = "Relu", Name = "Relu", Input = { "x" }, Output = { "relu" } });
        graph.Node.Add(new NodeProto { OpType = "GlobalAveragePool", Name = "Pool", Input = { "relu" }, Output = { "pooled" } });
        graph.ValueInfo.Add(Float("relu", 1, 2, 2, 2));
        graph.Output.Add(Float("pooled", 1, 2, 1, 1));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        return model;
    }
}
