using System.Numerics.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Imaging;

/// <summary>
/// The colour descriptor: a joint histogram of the product's pixels without its faintest bins, square-rooted
/// (Hellinger) and unit length.
/// The product is what differs from a uniform border colour (studio shots); when the border is not uniform (a busy
/// background) every pixel counts, weighted towards the centre where the product usually is; when the mask keeps
/// almost nothing (a close-up with no background), every pixel counts too.
/// </summary>
internal static class ColourHistogram
{
    // Every second pixel of every second row: a 224 x 224 input still gives 12,544 samples, at a quarter of the cost.
    private const int Stride = 2;

    // Share of the border ring near its median colour from which that colour is taken for a studio backdrop.
    private const double StudioBorderShare = 0.9;

    // Below this share of foreground the mask is not trusted: the image is all product, or all background.
    private const double MinForegroundShare = 0.03;

    // sRGB to linear light, per 8-bit value.
    private static readonly float[] Linear = [.. Enumerable.Range(0, 256).Select(v =>
    {
        var c = v / 255.0;
        return (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
    })];

    /// <summary>A new descriptor of <see cref="ColourOptions.Dimension"/> values.</summary>
    public static float[] Describe(Image<Rgba32> image, ColourOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var descriptor = new float[options.Dimension];
        Compute(image, options, descriptor);
        return descriptor;
    }

    /// <summary>Writes <see cref="ColourOptions.Dimension"/> values into <paramref name="destination"/>.</summary>
    public static void Compute(Image<Rgba32> image, ColourOptions options, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        if (destination.Length != options.Dimension)
        {
            throw new ArgumentException($"The colour descriptor needs {options.Dimension} values, got {destination.Length}.", nameof(destination));
        }

        destination.Clear();
        var (median, share) = image.Width >= 8 && image.Height >= 8
            ? BackgroundTrimmer.BorderMedian(image, options.BackgroundTolerance)
            : (default, 0.0);
        // Only a border that is one colour is a backdrop: a close-up's border is the product itself. Studio light (near
        // white, neutral) is background wherever it shows; a busy scene keeps every other pixel.
        Rgba32? backdrop = share >= StudioBorderShare ? median : null;
        var counted = Accumulate(image, options, backdrop, centreWeighted: false, destination);
        if (counted < MinForegroundShare * SampleCount(image))
        {
            // Nothing left (a white product on white, or an all-white image): every pixel, favouring the centre.
            destination.Clear();
            Accumulate(image, options, null, centreWeighted: true, destination, maskLight: false);
        }

        DropFaintBins(destination, options.MinBinShare);
        var sum = 0.0;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.Sqrt(destination[i]);
            sum += destination[i] * destination[i];
        }

        var norm = (float)Math.Sqrt(sum);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = norm > 0 ? destination[i] / norm : 0;
        }
    }

    // Zeroes the bins under `share` of the total; never the largest, so a histogram spread thin keeps its peaks.
    private static void DropFaintBins(Span<float> histogram, double share)
    {
        var floor = Math.Min((float)(share * TensorPrimitives.Sum<float>(histogram)), TensorPrimitives.Max<float>(histogram));
        foreach (ref var count in histogram)
        {
            if (count < floor)
            {
                count = 0;
            }
        }
    }

    private static int SampleCount(Image<Rgba32> image) => ((image.Width + Stride - 1) / Stride) * ((image.Height + Stride - 1) / Stride);

    // Returns the number of samples counted as foreground.
    private static double Accumulate(Image<Rgba32> image, ColourOptions options, Rgba32? background, bool centreWeighted, Span<float> histogram, bool maskLight = true)
    {
        var bins = options.Bins;
        var perHalf = bins[0] * bins[1] * bins[2];
        var halves = options.Layout == ColourLayout.Halves;
        var lab = options.Space == ColourSpace.Lab;
        var tolerance = options.BackgroundTolerance;
        var (cx, cy) = ((image.Width - 1) / 2f, (image.Height - 1) / 2f);
        var counted = 0.0;
        var scratch = new float[histogram.Length];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y += Stride)
            {
                var row = rows.GetRowSpan(y);
                var offset = halves && y >= rows.Height / 2 ? perHalf : 0;
                var dy = (y - cy) / (cy + 1);
                for (var x = 0; x < row.Length; x += Stride)
                {
                    // Transparency is composited onto white, as the model sees it.
                    var p = BackgroundTrimmer.OnWhite(row[x]);
                    if ((maskLight && IsStudioLight(p)) || (background is { } bg && BackgroundTrimmer.Differs(p, bg) <= tolerance))
                    {
                        continue;
                    }

                    var weight = 1f;
                    if (centreWeighted)
                    {
                        // No trusted mask: favour the centre, where a photographed product almost always is.
                        var dx = (x - cx) / (cx + 1);
                        weight = Math.Max(0.05f, 1 - ((dx * dx) + (dy * dy)));
                    }

                    counted += 1;
                    var (c0, c1, c2) = lab ? ToLab(p) : (p.R / 255f, p.G / 255f, p.B / 255f);
                    AddToBin(scratch.AsSpan(offset, perHalf), bins, c0, c1, c2, weight);
                }
            }
        });

        scratch.CopyTo(histogram);
        return counted;
    }

    // Channels arrive scaled to 0..1. Hard bins: soft assignment blurred distinct colours together and measured worse.
    private static void AddToBin(Span<float> histogram, int[] bins, float c0, float c1, float c2, float weight)
    {
        var i = Bin(c0, bins[0]);
        var j = Bin(c1, bins[1]);
        var k = Bin(c2, bins[2]);
        histogram[(((i * bins[1]) + j) * bins[2]) + k] += weight;
    }

    private static int Bin(float value, int bins) => Math.Clamp((int)(value * bins), 0, bins - 1);

    // CIELAB (D65), with L scaled from 0..100 and a, b from -LabRange..LabRange to 0..1.
    private static (float L, float A, float B) ToLab(Rgba32 p)
    {
        var (r, g, b) = (Linear[p.R], Linear[p.G], Linear[p.B]);
        var x = ((0.4124f * r) + (0.3576f * g) + (0.1805f * b)) / 0.95047f;
        var y = (0.2126f * r) + (0.7152f * g) + (0.0722f * b);
        var z = ((0.0193f * r) + (0.1192f * g) + (0.9505f * b)) / 1.08883f;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        var l = (116 * fy) - 16;
        var a = 500 * (fx - fy);
        var bb = 200 * (fy - fz);
        return (l / 100f, (a + LabRange) / (2 * LabRange), (bb + LabRange) / (2 * LabRange));
    }

    // a and b beyond this are rare in product photos; a tighter range gives the bins more of the colours that occur.
    private const float LabRange = 50;

    private static float F(float t) => t > 0.008856f ? MathF.Cbrt(t) : (7.787f * t) + (16f / 116f);

    // Near-white and neutral: the paper and light of a studio, wherever it shows (gaps between arms, under a hem).
    private static bool IsStudioLight(Rgba32 p) =>
        p.R > 225 && p.G > 225 && p.B > 225 && Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) <= 12;
}
