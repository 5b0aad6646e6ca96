using System.Numerics.Tensors;
using ProductSearch.Decoding;
using ProductSearch.Features;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>Distances of the same photo re-encoded or resized, against two shots of one product and the nearest other photo.</summary>
public sealed record DistanceSpread(string Pairs, int Count, double Min, double P1, double P5, double Median, double P95, double P99, double Max);

/// <summary>
/// Measures what <c>Search:NearDuplicateDistance</c> must separate: an image and its re-encoded (JPEG quality 75) or
/// half-size copy should fall below it; two different shots of one product, and each photo's nearest other photo in
/// its category, above it.
/// </summary>
public static class NearDuplicateProbe
{
    public static async Task<IReadOnlyList<DistanceSpread>> RunAsync(
        string descriptorPath, string datasetRoot, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<float[]> vectors, int sample, CancellationToken cancellationToken)
    {
        var model = ModelDescriptor.Load(descriptorPath);
        using var extractor = FeatureExtractor.CreateStandalone(model);
        using var photos = IsolatedPhotoDecoder.CreateStandalone(model.Input);
        // Every n-th photo, so each category and each subset is in the sample.
        var step = Math.Max(1, entries.Count / sample);
        var picked = Enumerable.Range(0, entries.Count).Where(i => i % step == 0).Take(sample).ToList();
        var reencoded = new List<double>();
        var resized = new List<double>();
        foreach (var i in picked)
        {
            await using var file = File.OpenRead(Path.Combine(datasetRoot, entries[i].Path));
            using var original = await photos.DecodeWholeAsync(file, cancellationToken);
            reencoded.Add(await CopyDistanceAsync(extractor, original, vectors[i], 1.0, 75, cancellationToken));
            resized.Add(await CopyDistanceAsync(extractor, original, vectors[i], 0.5, 85, cancellationToken));
        }

        var sameProduct = new List<double>();
        var nearestOther = new List<double>();
        for (var i = 0; i < entries.Count; i++)
        {
            var nearest = double.MaxValue;
            for (var j = 0; j < entries.Count; j++)
            {
                if (i == j || entries[i].Category != entries[j].Category)
                {
                    continue;
                }

                var distance = TensorPrimitives.Distance(vectors[i], vectors[j]);
                nearest = Math.Min(nearest, distance);
                if (j > i && entries[i].ProductId == entries[j].ProductId)
                {
                    sameProduct.Add(distance);
                }
            }

            nearestOther.Add(nearest);
        }

        return
        [
            Spread("same photo, re-encoded JPEG q75", reencoded),
            Spread("same photo, half size, JPEG q85", resized),
            Spread("two shots of one product", sameProduct),
            Spread("each photo's nearest other photo", nearestOther),
        ];
    }

    private static async Task<double> CopyDistanceAsync(
        FeatureExtractor extractor, Image<Rgba32> original, float[] stored, double scale, int quality, CancellationToken cancellationToken)
    {
        using var copy = original.Clone(x => x.Resize((int)(original.Width * scale), (int)(original.Height * scale)));
        using var jpeg = new MemoryStream();
        await copy.SaveAsJpegAsync(jpeg, new JpegEncoder { Quality = quality }, cancellationToken);
        jpeg.Position = 0;
        var vector = await extractor.ExtractAsync(jpeg, cancellationToken);
        return TensorPrimitives.Distance(vector, stored);
    }

    private static DistanceSpread Spread(string pairs, List<double> values)
    {
        values.Sort();
        double At(double q) => values.Count == 0 ? double.NaN : values[(int)Math.Clamp(Math.Round(q * (values.Count - 1)), 0, values.Count - 1)];
        return new DistanceSpread(pairs, values.Count, At(0), At(0.01), At(0.05), At(0.5), At(0.95), At(0.99), At(1));
    }
}
