using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Imaging;

/// <summary>
/// OpenCV's INTER_LINEAR resize (the notebook's): each output pixel blends the four source pixels around its centre,
/// so the cost is the output's size whatever the photo's. It does not average the pixels in between when shrinking.
/// </summary>
internal static class LinearResize
{
    /// <summary>Resizes <paramref name="image"/> in place to <paramref name="size"/>, stretched, or its centre when <paramref name="centerCrop"/>.</summary>
    public static void Apply(Image<Rgba32> image, Size size, bool centerCrop)
    {
        var (width, height) = (image.Width, image.Height);
        // The source area mapped onto the output: all of it, or the centre of the output's aspect ratio.
        var scale = centerCrop ? Math.Min((double)width / size.Width, (double)height / size.Height) : 0;
        var (areaWidth, areaHeight) = centerCrop ? (size.Width * scale, size.Height * scale) : (width, height);
        var (left, top) = ((width - areaWidth) / 2, (height - areaHeight) / 2);

        var output = ArrayPool<Rgba32>.Shared.Rent(size.Width * size.Height);
        try
        {
            var columns = Taps(size.Width, left, areaWidth / size.Width, width);
            var rows = Taps(size.Height, top, areaHeight / size.Height, height);
            image.ProcessPixelRows(pixels =>
            {
                for (var y = 0; y < size.Height; y++)
                {
                    var (y0, y1, fy) = rows[y];
                    var upper = pixels.GetRowSpan(y0);
                    var lower = pixels.GetRowSpan(y1);
                    var line = output.AsSpan(y * size.Width, size.Width);
                    for (var x = 0; x < size.Width; x++)
                    {
                        var (x0, x1, fx) = columns[x];
                        line[x] = Blend(Blend(upper[x0], upper[x1], fx), Blend(lower[x0], lower[x1], fx), fy);
                    }
                }
            });

            // The output size first (nearest neighbour reads only one pixel per output pixel), then the blended pixels.
            image.Mutate(x => x.Resize(size.Width, size.Height, KnownResamplers.NearestNeighbor));
            image.ProcessPixelRows(pixels =>
            {
                for (var y = 0; y < size.Height; y++)
                {
                    output.AsSpan(y * size.Width, size.Width).CopyTo(pixels.GetRowSpan(y));
                }
            });
        }
        finally
        {
            ArrayPool<Rgba32>.Shared.Return(output);
        }
    }

    // For each output index: the two source indices either side of its centre and the weight of the second,
    // with OpenCV's alignment (source = (output + 0.5) * step - 0.5) and edges clamped.
    private static (int First, int Second, float Weight)[] Taps(int outputs, double start, double step, int sources)
    {
        var taps = new (int, int, float)[outputs];
        for (var i = 0; i < outputs; i++)
        {
            var position = Math.Clamp(start + ((i + 0.5) * step) - 0.5, 0, sources - 1);
            var first = (int)position;
            taps[i] = (first, Math.Min(first + 1, sources - 1), (float)(position - first));
        }

        return taps;
    }

    private static Rgba32 Blend(Rgba32 a, Rgba32 b, float weight) => new(
        (byte)MathF.Round(a.R + ((b.R - a.R) * weight)),
        (byte)MathF.Round(a.G + ((b.G - a.G) * weight)),
        (byte)MathF.Round(a.B + ((b.B - a.B) * weight)),
        (byte)MathF.Round(a.A + ((b.A - a.A) * weight)));
}
