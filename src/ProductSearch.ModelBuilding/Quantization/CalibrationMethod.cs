namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>How an activation's float range is chosen from what the calibration images produce.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing ever clips, but one outlier coarsens every step.</summary>
    MinMax,

    /// <summary>Percentiles of sampled values: rare outliers clip so that the common values get finer steps.</summary>
    Percentile,
}
