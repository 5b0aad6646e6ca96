using Onnx;

namespace ProductSearch.ModelBuilding.Tests.Quantization;

/// <summary>
/// A small float model built in memory with the shapes that matter to quantisation: Conv + BatchNormalization + ReLU,
/// MaxPool, a second Conv + ReLU, at opset 8 with initializers listed as inputs (as the shipped ResNet18 is), and
/// output channels whose weights differ by orders of magnitude (which per-tensor weight scales would flatten to zero).
/// </summary>
internal static class TinyConvModel
{
    public const string InputName = "image";
    public const string OutputName = "features";
    public static readonly long[] InputShape = [1, 3, 8, 8];
    public static readonly long[] OutputShape = [1, 6, 4, 4];

    public static ModelProto Build(int seed = 7)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "tiny" };
        // Channel c of the first kernel is scaled by 10^(c - 2): 0.01 to 10.
        graph.Initializer.Add(Floats("a/kernel", Normal(random, 4 * 3 * 9, c => MathF.Pow(10, (c / 27) - 2)), 4, 3, 3, 3));
        graph.Initializer.Add(Floats("a/bias", Normal(random, 4, _ => 0.1f), 4));
        graph.Initializer.Add(Floats("bn/gamma", [1.5f, 0.5f, 2f, 1f], 4));
        graph.Initializer.Add(Floats("bn/beta", [0.1f, -0.2f, 0.3f, 0f], 4));
        graph.Initializer.Add(Floats("bn/mean", [0.05f, -0.1f, 0.2f, 0.3f], 4));
        graph.Initializer.Add(Floats("bn/var", [0.5f, 2f, 1f, 4f], 4));
        graph.Initializer.Add(Floats("b/kernel", Normal(random, 6 * 4 * 9, _ => 0.3f), 6, 4, 3, 3));
        graph.Initializer.Add(Floats("b/bias", Normal(random, 6, _ => 0.1f), 6));

        graph.Node.Add(OnnxGraphParts.Node("Conv", "a", ["image", "a/kernel", "a/bias"], "a/out", OnnxGraphParts.Ints("kernel_shape", 3, 3), OnnxGraphParts.Ints("pads", 1, 1, 1, 1)));
        graph.Node.Add(OnnxGraphParts.Node("BatchNormalization", "bn", ["a/out", "bn/gamma", "bn/beta", "bn/mean", "bn/var"], "bn/out"));
        graph.Node.Add(OnnxGraphParts.Node("Relu", "a/relu", ["bn/out"], "a/relu/out"));
        graph.Node.Add(OnnxGraphParts.Node("MaxPool", "pool", ["a/relu/out"], "pool/out", OnnxGraphParts.Ints("kernel_shape", 2, 2), OnnxGraphParts.Ints("strides", 2, 2)));
        graph.Node.Add(OnnxGraphParts.Node("Conv", "b", ["pool/out", "b/kernel", "b/bias"], "b/out", OnnxGraphParts.Ints("kernel_shape", 3, 3), OnnxGraphParts.Ints("pads", 1, 1, 1, 1)));
        graph.Node.Add(OnnxGraphParts.Node("Relu", "b/relu", ["b/out"], OutputName));

        graph.Input.Add(Info(InputName, InputShape));
        // IR 3 style: every initializer is also a graph input.
        graph.Input.AddRange(graph.Initializer.Select(t => Info(t.Name, [.. t.Dims])));
        graph.Output.Add(Info(OutputName, OutputShape));
        var model = new ModelProto { IrVersion = 3, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 8 });
        return model;
    }

    /// <summary>Seeded images with values of the size a mean-subtracted photo has.</summary>
    public static float[] Image(int seed)
    {
        var random = new Random(1000 + seed);
        return [.. Enumerable.Range(0, 3 * 8 * 8).Select(_ => (float)((random.NextDouble() * 200) - 100))];
    }

    private static float[] Normal(Random random, int count, Func<int, float> scale) =>
        [.. Enumerable.Range(0, count).Select(i => scale(i) * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];

    private static TensorProto Floats(string name, float[] values, params long[] dims) => OnnxGraphParts.FloatInitializer(name, values, dims);

    private static ValueInfoProto Info(string name, long[] dims) => OnnxGraphParts.FloatTensorInfo(name, [.. dims.Select(OnnxGraphParts.Dim)]);
}
