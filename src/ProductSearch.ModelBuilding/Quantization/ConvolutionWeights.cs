using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Per-output-channel symmetric int8 kernels and the int32 biases that go with them.</summary>
internal static class ConvolutionWeights
{
    /// <summary>The largest 7-bit weight, as ONNX Runtime's own quantisation tool takes it (<c>reduce_range</c>).</summary>
    public const int SevenBitLimit = 64;

    public const int FullRangeLimit = 127;

    /// <summary>One scale per output channel (axis 0 of an OIHW kernel), zero point 0, values within +-<paramref name="limit"/>.</summary>
    public static (sbyte[] Values, float[] Scales) QuantizeKernel(float[] kernel, int outputChannels, int limit)
    {
        // Symmetric: zero point 0 keeps the int8 GEMM free of the correction terms an asymmetric weight needs.
        var perChannel = kernel.Length / outputChannels;
        var values = new sbyte[kernel.Length];
        var scales = new float[outputChannels];
        for (var c = 0; c < outputChannels; c++)
        {
            var channel = kernel.AsSpan(c * perChannel, perChannel);
            var maxAbs = 0f;
            foreach (var w in channel)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(w));
            }

            // An all-zero channel still needs a positive scale to be valid ONNX.
            scales[c] = maxAbs > 0 ? maxAbs / limit : 1f;
            for (var i = 0; i < perChannel; i++)
            {
                values[(c * perChannel) + i] = (sbyte)Math.Clamp(MathF.Round(channel[i] / scales[c]), -limit, limit);
            }
        }

        return (values, scales);
    }

    /// <summary>
    /// int32 bias at scale input scale x weight scale, the accumulator's own scale, which is what ONNX Runtime's QDQ
    /// Conv fusion requires (a float bias would keep the Conv in float).
    /// </summary>
    public static (int[] Values, float[] Scales) QuantizeBias(float[] bias, float inputScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        var scales = new float[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            values[c] = (int)Math.Clamp(Math.Round((double)bias[c] / scales[c]), int.MinValue, int.MaxValue);
        }

        return (values, scales);
    }

    public static NodeProto Dequantize(string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = "DequantizeLinear", Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        return node;
    }
}
