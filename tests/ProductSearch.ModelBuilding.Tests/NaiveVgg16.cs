using ProductSearch.Testing.ModelBuilding;
using PureHDF;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>
/// An independent VGG16 forward pass in plain loops, the way Keras computes it: NHWC activations, HWIO kernels
/// read straight from the HDF5 datasets. Shares no code with the converter.
/// </summary>
public sealed class NaiveVgg16
{
    private static readonly int[] ConvolutionsPerBlock = [2, 2, 3, 3, 3];

    private readonly List<(float[] Kernel, float[] Bias, int Inputs, int Outputs)> _layers = [];

    public NaiveVgg16(string weightsPath, KerasWeightNaming naming)
    {
        using var file = H5File.OpenRead(weightsPath);
        foreach (var (name, inputs, outputs) in SyntheticVgg16WeightsFile.ConvolutionLayers)
        {
            var kernel = file.Dataset(SyntheticVgg16WeightsFile.KernelPath(name, naming)).Read<float[]>();
            var bias = file.Dataset(SyntheticVgg16WeightsFile.BiasPath(name, naming)).Read<float[]>();
            _layers.Add((kernel, bias, inputs, outputs));
        }
    }

    /// <summary>Runs the first <paramref name="blocks"/> blocks on an [H, W, 3] image; returns [H', W', C].</summary>
    public double[] Forward(double[] nhwc, int height, int width, int blocks = 5)
    {
        var activation = nhwc;
        var layer = 0;
        foreach (var convolutions in ConvolutionsPerBlock.Take(blocks))
        {
            for (var c = 0; c < convolutions; c++, layer++)
            {
                activation = ConvolutionWithRelu(activation, height, width, _layers[layer]);
            }

            activation = MaxPool2x2(activation, height, width, _layers[layer - 1].Outputs);
            height /= 2;
            width /= 2;
        }

        return activation;
    }

    private static double[] ConvolutionWithRelu(double[] input, int height, int width, (float[] Kernel, float[] Bias, int Inputs, int Outputs) layer)
    {
        var (kernel, bias, inputs, outputs) = layer;
        var output = new double[height * width * outputs];
        var sum = new double[outputs];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var o = 0; o < outputs; o++)
                {
                    sum[o] = bias[o];
                }

                for (var ky = 0; ky < 3; ky++)
                {
                    var sy = y + ky - 1;
                    for (var kx = 0; kx < 3; kx++)
                    {
                        var sx = x + kx - 1;
                        if (sy < 0 || sy >= height || sx < 0 || sx >= width)
                        {
                            continue; // "same" padding with zeros
                        }

                        for (var i = 0; i < inputs; i++)
                        {
                            var value = input[((sy * width) + sx) * inputs + i];
                            var weights = ((ky * 3 + kx) * inputs + i) * outputs;
                            for (var o = 0; o < outputs; o++)
                            {
                                sum[o] += value * kernel[weights + o];
                            }
                        }
                    }
                }

                for (var o = 0; o < outputs; o++)
                {
                    output[((y * width) + x) * outputs + o] = Math.Max(0.0, sum[o]);
                }
            }
        }

        return output;
    }

    private static double[] MaxPool2x2(double[] input, int height, int width, int channels)
    {
        var output = new double[height / 2 * (width / 2) * channels];
        for (var y = 0; y < height / 2; y++)
        {
            for (var x = 0; x < width / 2; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var best = double.NegativeInfinity;
                    for (var dy = 0; dy < 2; dy++)
                    {
                        for (var dx = 0; dx < 2; dx++)
                        {
                            best = Math.Max(best, input[(((2 * y) + dy) * width + (2 * x) + dx) * channels + c]);
                        }
                    }

                    output[((y * (width / 2)) + x) * channels + c] = best;
                }
            }
        }

        return output;
    }
}
