using System.Diagnostics;
using ProductSearch.Features;

namespace ProductSearch.Benchmarks.Extraction;

/// <summary>ONNX Runtime alone, one caller on all cores: the baseline the throughput benchmarks divide by.</summary>
internal static class InferenceAlone
{
    /// <summary>Images per second over <paramref name="count"/> runs on one ready tensor (a CNN's cost does not depend on the pixels).</summary>
    public static double Rate(FeatureExtractor extractor, int count)
    {
        var tensor = new float[extractor.Preprocessor.TensorLength];
        extractor.Inference.Infer(tensor); // warm-up
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            extractor.Inference.Infer(tensor);
        }

        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
