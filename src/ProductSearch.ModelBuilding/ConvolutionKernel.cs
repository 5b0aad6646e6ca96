namespace ProductSearch.ModelBuilding;

/// <summary>Kernel layout conversion between Keras (HWIO) and ONNX (OIHW).</summary>
public static class ConvolutionKernel
{
    /// <summary>Reorders a row-major [H, W, In, Out] kernel into row-major [Out, In, H, W].</summary>
    public static float[] HwioToOihw(ReadOnlySpan<float> hwio, int height, int width, int inputs, int outputs)
    {
        if (hwio.Length != height * width * inputs * outputs)
        {
            throw new ArgumentException($"Kernel has {hwio.Length} values, expected {height}x{width}x{inputs}x{outputs}.", nameof(hwio));
        }

        var oihw = new float[hwio.Length];
        for (var h = 0; h < height; h++)
        {
            for (var w = 0; w < width; w++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    var source = ((h * width + w) * inputs + i) * outputs;
                    for (var o = 0; o < outputs; o++)
                    {
                        oihw[((o * inputs + i) * height + h) * width + w] = hwio[source + o];
                    }
                }
            }
        }

        return oihw;
    }
}
