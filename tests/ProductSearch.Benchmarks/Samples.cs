namespace ProductSearch.Benchmarks;

/// <summary>The one reading of a benchmark's timings every table uses, so that two tables' medians mean the same.</summary>
internal static class Samples
{
    /// <summary>The middle value (the upper of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The nearest-rank percentile: the smallest value at least <paramref name="percentile"/>% of values do not exceed.</summary>
    public static double Percentile(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
