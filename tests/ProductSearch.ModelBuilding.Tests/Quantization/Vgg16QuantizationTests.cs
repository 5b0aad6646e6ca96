using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ProductSearch.ModelBuilding.Quantization;

using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.ModelBuilding.Tests.Quantization;

/// <summary>The converted (synthetic-weight) VGG16 quantises into a graph ONNX Runtime runs entirely in int8 kernels.</summary>
[Collection(ConvertedVgg16Group.Name)]
public sealed class Vgg16QuantizationTests(ConvertedVgg16Fixture fixture)
{
    private static readonly long[] Shape = [1, 3, 224, 224];

    [Fact]
    public void EveryConvolutionFusesAndPoolsStayInUInt8()
    {
        var prepared = OnnxInt8Quantizer.Prepare(OnnxModelFile.Read(fixture.Fixed224OnnxPath));
        var calibrator = new ActivationCalibrator(prepared);
        OrtCalibration.Calibrate(calibrator, Vgg16OnnxBuilder.InputName, Shape, [Image(1), Image(2)]);
        var quantized = OnnxInt8Quantizer.Quantize(prepared, calibrator.Ranges());

        using var directory = new TemporaryDirectory();
        var optimizedPath = directory.File("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimizedPath })
        using (new InferenceSession(quantized.ToByteArray(), options))
        {
        }

        var operators = OnnxModelFile.Read(optimizedPath).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        // One QuantizeLinear for the float input, one DequantizeLinear for the float output, int8 in between.
        Assert.Equal(
            new Dictionary<string, int> { ["QuantizeLinear"] = 1, ["QLinearConv"] = 13, ["MaxPool"] = 5, ["DequantizeLinear"] = 1 },
            operators);
    }

    private static float[] Image(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)((random.NextDouble() * 255) - 120))];
    }
}
