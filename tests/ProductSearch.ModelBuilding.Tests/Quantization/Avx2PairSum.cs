namespace ProductSearch.ModelBuilding.Tests.Quantization;

/// <summary>
/// The arithmetic of ONNX Runtime's uint8 x int8 convolution on AVX2 without VNNI (MLAS's ConvSym and QGEMM kernels):
/// <c>vpmaddubsw</c> multiplies activation bytes by weight bytes and adds each two neighbouring products into a
/// saturating int16, then <c>vpmaddwd</c> widens those sums into the int32 accumulator exactly. The neighbours are
/// adjacent input channels at one kernel position, the channels padded to a multiple of 4 with zero weights.
/// </summary>
internal static class Avx2PairSum
{
    /// <summary>Whether two products of a uint8 activation and weights of this magnitude can leave int16.</summary>
    public static bool CanSaturate(int largestWeight) => 2 * byte.MaxValue * largestWeight > short.MaxValue;

    /// <summary>Runs one quantised Conv (group 1, no dilation) on uint8 NCHW input both exactly and as AVX2 does.</summary>
    public static Accumulators Convolve(QuantizedConvolution layer, byte[] input, int height, int width)
    {
        var (outputs, channels, kernelHeight, kernelWidth) = ((int)layer.WeightDims[0], (int)layer.WeightDims[1], (int)layer.WeightDims[2], (int)layer.WeightDims[3]);
        var pads = Ints(layer, "pads", [0, 0, 0, 0]);
        var strides = Ints(layer, "strides", [1, 1]);
        var outputHeight = ((height + pads[0] + pads[2] - kernelHeight) / strides[0]) + 1;
        var outputWidth = ((width + pads[1] + pads[3] - kernelWidth) / strides[1]) + 1;
        var result = new Accumulators(new int[outputs * outputHeight * outputWidth], new int[outputs * outputHeight * outputWidth]);
        for (var o = 0; o < outputs; o++)
        {
            for (var y = 0; y < outputHeight; y++)
            {
                for (var x = 0; x < outputWidth; x++)
                {
                    var (exact, emulated) = (0, 0);
                    for (var ky = 0; ky < kernelHeight; ky++)
                    {
                        for (var kx = 0; kx < kernelWidth; kx++)
                        {
                            var (iy, ix) = ((y * strides[0]) + ky - pads[0], (x * strides[1]) + kx - pads[1]);
                            for (var c = 0; c < channels; c += 2)
                            {
                                var pair = Product(o, c, ky, kx, iy, ix) + Product(o, c + 1, ky, kx, iy, ix);
                                exact += pair;
                                emulated += Math.Clamp(pair, short.MinValue, short.MaxValue);
                                result.SaturatedPairs += pair is < short.MinValue or > short.MaxValue ? 1 : 0;
                            }
                        }
                    }

                    var index = (((o * outputHeight) + y) * outputWidth) + x;
                    (result.Exact[index], result.Emulated[index]) = (exact, emulated);
                }
            }
        }

        return result;

        int Product(int o, int c, int ky, int kx, int y, int x)
        {
            if (c >= channels)
            {
                return 0;
            }

            // Padding reads the input's zero point, the quantised 0, as ONNX Runtime pads uint8 input.
            var activation = y < 0 || y >= height || x < 0 || x >= width ? layer.InputZeroPoint : input[(((c * height) + y) * width) + x];
            return activation * layer.Weights[(((((o * channels) + c) * kernelHeight) + ky) * kernelWidth) + kx];
        }
    }

    private static int[] Ints(QuantizedConvolution layer, string name, int[] fallback) =>
        layer.Conv.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? [.. attribute.Ints.Select(i => (int)i)] : fallback;

    public sealed record Accumulators(int[] Exact, int[] Emulated)
    {
        public int SaturatedPairs { get; set; }
    }
}
