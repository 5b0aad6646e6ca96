namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Choices of the static int8 quantisation.</summary>
public sealed record QuantizationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the upper percentile kept (the lower one is 100 minus it).</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>
    /// Weights in 7 bits (-63..63). CPUs without VNNI multiply uint8 by int8 with an instruction whose int16 sums can
    /// saturate at full 8-bit range; halving the weight range avoids that at some cost in precision.
    /// </summary>
    public bool ReduceWeightRange { get; init; }
}
