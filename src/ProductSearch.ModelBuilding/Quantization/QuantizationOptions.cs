namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Choices of the static int8 quantisation.</summary>
public sealed record QuantizationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the upper percentile kept (the lower one is 100 minus it).</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>
    /// Weights over the full int8 range (-127..127) instead of the default 7 bits (-64..64). Only for machines that all
    /// have VNNI: on AVX2 (and AVX-512 without VNNI) ONNX Runtime adds two uint8 x int8 products into a saturating
    /// int16, which full-range weights overflow and 7-bit weights cannot (2 x 255 x 64 = 32,640 &lt;= 32,767).
    /// </summary>
    public bool FullRangeWeights { get; init; }
}
