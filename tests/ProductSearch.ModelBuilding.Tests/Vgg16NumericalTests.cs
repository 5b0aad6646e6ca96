using Google.Protobuf;
using Onnx;
using ProductSearch.Testing.ModelBuilding;
using Xunit.Abstractions;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>
/// The converted graph against an independent NHWC forward pass. The input is 32x64 (not square) with
/// random values, so a transposed kernel, swapped height/width or reordered channels cannot agree.
/// </summary>
[Collection(ConvertedVgg16Group.Name)]
public sealed class Vgg16NumericalTests(ConvertedVgg16Fixture fixture, ITestOutputHelper output)
{
    private const int Height = 32;
    private const int Width = 64;
    private const double RelativeTolerance = 1e-4;

    [Fact]
    public void FirstBlockAndWholeNetworkMatchTheNaiveKerasForwardPass()
    {
        var (nhwc, nchw) = RandomImage(seed: 5);
        var reference = new NaiveVgg16(fixture.WeightsPath, KerasWeightNaming.Keras1Flat);
        using var runner = new OnnxRunner(WithExtraOutput(fixture.SymbolicOnnxPath, "block1_pool"));

        var outputs = runner.Run(nchw, [1, 3, Height, Width], "block1_pool", "block5_pool");

        AssertAgrees(reference.Forward(nhwc, Height, Width, blocks: 1), outputs["block1_pool"].Values, Height / 2, Width / 2, 64);
        AssertAgrees(reference.Forward(nhwc, Height, Width), outputs["block5_pool"].Values, Height / 32, Width / 32, 512);
    }

    [Fact]
    public void SpatiallyTransposedKernelsWouldFailTheComparison()
    {
        // Guards the test itself: a converter that mixed up the kernel's H and W must not pass.
        var (nhwc, nchw) = RandomImage(seed: 5);
        var reference = new NaiveVgg16(fixture.WeightsPath, KerasWeightNaming.Keras1Flat).Forward(nhwc, Height, Width, blocks: 1);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fixture.SymbolicOnnxPath));
        foreach (var kernel in model.Graph.Initializer.Where(tensor => tensor.Name.EndsWith("/kernel", StringComparison.Ordinal)))
        {
            kernel.RawData = ByteString.CopyFrom(SwapKernelHeightAndWidth(kernel.RawData.ToByteArray()));
        }

        model.Graph.Output.Add(new ValueInfoProto { Name = "block1_pool", Type = model.Graph.Output[0].Type });
        using var runner = new OnnxRunner(model.ToByteArray());

        var wrong = runner.Run(nchw, [1, 3, Height, Width], "block1_pool")["block1_pool"].Values;

        var error = MaxRelativeError(reference, wrong, Height / 2, Width / 2, 64);
        output.WriteLine($"Transposed kernels: max error {error:E2} of the largest activation");
        Assert.True(error > 1e-2);
    }

    private static (double[] Nhwc, float[] Nchw) RandomImage(int seed)
    {
        var random = new Random(seed);
        var nhwc = new double[Height * Width * 3];
        var nchw = new float[nhwc.Length];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    // Caffe-style preprocessed pixels: roughly -124..+152, deliberately not centred.
                    var value = (float)((random.NextDouble() * 255.0) - 103.939 - (10 * c));
                    nhwc[((y * Width) + x) * 3 + c] = value;
                    nchw[((c * Height) + y) * Width + x] = value;
                }
            }
        }

        return (nhwc, nchw);
    }

    private static byte[] WithExtraOutput(string modelPath, string valueName)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        model.Graph.Output.Add(new ValueInfoProto { Name = valueName, Type = model.Graph.Output[0].Type });
        return model.ToByteArray();
    }

    private void AssertAgrees(double[] referenceNhwc, float[] onnxNchw, int height, int width, int channels)
    {
        Assert.Equal(referenceNhwc.Length, onnxNchw.Length);
        Assert.True(referenceNhwc.Count(value => value > 0) > referenceNhwc.Length / 10, "Too few active units for a meaningful comparison.");
        var error = MaxRelativeError(referenceNhwc, onnxNchw, height, width, channels);
        output.WriteLine($"{channels}x{height}x{width}: max error {error:E2} of the largest activation");
        Assert.True(error <= RelativeTolerance, $"Max error {error:E2} of the largest activation exceeds {RelativeTolerance:E0}.");
    }

    /// <summary>Largest absolute difference relative to the largest reference activation (ReLU zeros make per-element ratios meaningless).</summary>
    private static double MaxRelativeError(double[] referenceNhwc, float[] onnxNchw, int height, int width, int channels)
    {
        var scale = referenceNhwc.Max(Math.Abs);
        var worst = 0.0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var expected = referenceNhwc[((y * width) + x) * channels + c];
                    var actual = onnxNchw[((c * height) + y) * width + x];
                    worst = Math.Max(worst, Math.Abs(expected - actual));
                }
            }
        }

        return worst / scale;
    }

    private static byte[] SwapKernelHeightAndWidth(byte[] oihwBytes)
    {
        var values = new float[oihwBytes.Length / sizeof(float)];
        Buffer.BlockCopy(oihwBytes, 0, values, 0, oihwBytes.Length);
        var swapped = new float[values.Length];
        for (var block = 0; block < values.Length; block += 9)
        {
            for (var h = 0; h < 3; h++)
            {
                for (var w = 0; w < 3; w++)
                {
                    swapped[block + (w * 3) + h] = values[block + (h * 3) + w];
                }
            }
        }

        var bytes = new byte[oihwBytes.Length];
        Buffer.BlockCopy(swapped, 0, bytes, 0, bytes.Length);
        return bytes;
    }
}
