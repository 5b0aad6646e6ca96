namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>Running range of one activation tensor over the calibration images, with a strided sample for percentiles.</summary>
internal sealed class TensorStatistics(bool keepSamples)
{
    // Whole early VGG16 maps are 3.2 million values per image; a strided sample bounds memory to 64 KiB per image.
    private const int SamplesPerObservation = 16_384;

    private readonly List<float> _samples = [];

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public void Observe(ReadOnlySpan<float> values)
    {
        var (min, max) = (Min, Max);
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        (Min, Max) = (min, max);
        if (keepSamples && values.Length > 0)
        {
            var step = Math.Max(1, values.Length / SamplesPerObservation);
            for (var i = step / 2; i < values.Length; i += step)
            {
                _samples.Add(values[i]);
            }
        }
    }

    public ActivationRange Range(CalibrationMethod method, double percentile)
    {
        if (float.IsPositiveInfinity(Min))
        {
            throw new InvalidOperationException("No values were observed for this tensor.");
        }

        if (method == CalibrationMethod.MinMax || _samples.Count == 0)
        {
            return new ActivationRange(Min, Max);
        }

        _samples.Sort();
        float At(double p) => _samples[(int)Math.Clamp(Math.Round(p / 100 * (_samples.Count - 1)), 0, _samples.Count - 1)];
        return new ActivationRange(At(100 - percentile), At(percentile));
    }
}
