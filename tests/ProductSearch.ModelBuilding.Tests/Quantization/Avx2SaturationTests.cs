using Onnx;
using ProductSearch.ModelBuilding.Quantization;
using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.ModelBuilding.Tests.Quantization;

/// <summary>
/// The int8 models are exact on CPUs without VNNI, where ONNX Runtime adds two uint8 x int8 products into a saturating
/// int16 (<see cref="Avx2PairSum"/>): checked on the weights themselves and by running that arithmetic, on this CPU.
/// </summary>
public sealed class Avx2SaturationTests
{
    private static readonly long[] ResNet18Shape = [1, 3, 224, 224];

    [Fact]
    public void NoResNet18ConvolutionCanSaturateAvx2PairSums()
    {
        var layers = QuantizedConvolution.All(QuantizeResNet18(new QuantizationOptions()));

        Assert.Equal(22, layers.Count); // every Conv of ML.NET's ResNet18, each reading uint8
        Assert.All(layers, layer => Assert.Equal(TensorProto.Types.DataType.Uint8, layer.InputType));
        Assert.All(layers, layer => Assert.False(Avx2PairSum.CanSaturate(layer.LargestWeight), $"{layer.Name}: weight {layer.LargestWeight}."));
    }

    [Fact]
    public void FullRangeResNet18WeightsCouldSaturateEveryConvolution()
    {
        var layers = QuantizedConvolution.All(QuantizeResNet18(new QuantizationOptions { FullRangeWeights = true }));

        Assert.All(layers, layer => Assert.True(Avx2PairSum.CanSaturate(layer.LargestWeight), $"{layer.Name}: weight {layer.LargestWeight}."));
    }

    [Fact]
    public void EmulatedAvx2FirstConvolutionIsExact()
    {
        var saturated = SaturatedPairsOfFirstConvolution(new QuantizationOptions(), out var exact, out var emulated);

        Assert.Equal(0, saturated);
        Assert.Equal(exact, emulated);
    }

    [Fact]
    public void EmulatedAvx2FirstConvolutionClipsFullRangeWeights()
    {
        var saturated = SaturatedPairsOfFirstConvolution(new QuantizationOptions { FullRangeWeights = true }, out var exact, out var emulated);

        Assert.True(saturated > 0, "No pair sum left int16.");
        Assert.NotEqual(exact, emulated);
    }

    // The tiny model's first Conv reads the image, quantised around a zero point near 128, so its activations span 0..255.
    private static int SaturatedPairsOfFirstConvolution(QuantizationOptions options, out int[] exact, out int[] emulated)
    {
        var model = OnnxInt8QuantizerTests.Quantize(TinyConvModel.Build(), options);
        var first = QuantizedConvolution.All(model)[0];
        var (height, width) = ((int)TinyConvModel.InputShape[2], (int)TinyConvModel.InputShape[3]);
        var saturated = 0;
        var (allExact, allEmulated) = (new List<int>(), new List<int>());
        foreach (var seed in Enumerable.Range(200, 8))
        {
            // ONNX QuantizeLinear: round half to even, add the zero point, clamp to uint8.
            var input = TinyConvModel.Image(seed).Select(x => (byte)Math.Clamp(MathF.Round(x / first.InputScale) + first.InputZeroPoint, 0, 255)).ToArray();
            var accumulators = Avx2PairSum.Convolve(first, input, height, width);
            saturated += accumulators.SaturatedPairs;
            allExact.AddRange(accumulators.Exact);
            allEmulated.AddRange(accumulators.Emulated);
        }

        (exact, emulated) = ([.. allExact], [.. allEmulated]);
        return saturated;
    }

    private static ModelProto QuantizeResNet18(QuantizationOptions options)
    {
        var prepared = OnnxInt8Quantizer.Prepare(OnnxModelFile.Read(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.onnx")));
        var calibrator = new ActivationCalibrator(prepared, options);
        // One noise image: the weight bound does not depend on the ranges, only that every Conv input is uint8.
        var random = new Random(5);
        float[][] images = [.. Enumerable.Range(0, 1).Select(_ => Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)((random.NextDouble() * 255) - 120)).ToArray())];
        OrtCalibration.Calibrate(calibrator, "Input247", ResNet18Shape, images);
        return OnnxInt8Quantizer.Quantize(prepared, calibrator.Ranges(), options);
    }
}
