using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Imaging;

/// <summary>
/// Crops away the uniform background of a studio shot (white or light grey border), so the product, not the empty
/// studio, fills the model's input. An image whose border is not one colour (a lifestyle photo) is left alone.
/// </summary>
internal static class BackgroundTrimmer
{
    // Share of the border that must match its median colour for the image to count as a studio shot.
    private const double UniformBorderShare = 0.9;

    // A row or column is product only when this share of it (at least 2 pixels) differs: JPEG noise and dust are ignored.
    private const double ContentShare = 0.005;

    // Room kept around the product, as a share of its larger side, so its outline is not cut.
    private const double Margin = 0.02;

    /// <summary>Trims <paramref name="image"/> in place; false when there was nothing to trim.</summary>
    /// <param name="targetAspect">Width / height of the model's input, used by <see cref="BackgroundTrim.KeepAspect"/>.</param>
    public static bool Trim(Image<Rgba32> image, BackgroundTrim mode, int tolerance, float targetAspect)
    {
        if (mode == BackgroundTrim.Off || image.Width < 8 || image.Height < 8)
        {
            return false;
        }

        if (BorderColour(image, tolerance) is not { } background || ContentBox(image, background, tolerance) is not { } box)
        {
            return false;
        }

        var margin = (int)Math.Round(Margin * Math.Max(box.Width, box.Height));
        box = Rectangle.Intersect(Rectangle.Inflate(box, margin, margin), new Rectangle(0, 0, image.Width, image.Height));
        if (box.Width >= image.Width * 0.98 && box.Height >= image.Height * 0.98)
        {
            return false;
        }

        if (mode == BackgroundTrim.Tight)
        {
            image.Mutate(x => x.Crop(box));
            return true;
        }

        // Widen the shorter side with the background colour: squashing to the input then keeps the product's shape.
        var width = Math.Max(box.Width, (int)Math.Round(box.Height * targetAspect));
        var height = Math.Max(box.Height, (int)Math.Round(box.Width / targetAspect));
        image.Mutate(x => x.Crop(box).Pad(width, height, Color.FromPixel(background)));
        return true;
    }

    /// <summary>The median colour of the image's outer ring, or null when the ring is not (nearly) one colour.</summary>
    internal static Rgba32? BorderColour(Image<Rgba32> image, int tolerance)
    {
        var (median, share) = BorderMedian(image, tolerance);
        return share >= UniformBorderShare ? median : null;
    }

    /// <summary>The median colour of the image's outer ring and the share of the ring within <paramref name="tolerance"/> of it.</summary>
    internal static (Rgba32 Median, double Share) BorderMedian(Image<Rgba32> image, int tolerance)
    {
        var ring = new List<Rgba32>((2 * image.Width) + (2 * image.Height));
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                if (y == 0 || y == rows.Height - 1)
                {
                    foreach (var pixel in row)
                    {
                        ring.Add(OnWhite(pixel));
                    }
                }
                else
                {
                    ring.Add(OnWhite(row[0]));
                    ring.Add(OnWhite(row[^1]));
                }
            }
        });

        var median = new Rgba32(Median(ring, p => p.R), Median(ring, p => p.G), Median(ring, p => p.B), 255);
        var matching = ring.Count(p => Differs(p, median) <= tolerance);
        return (median, (double)matching / ring.Count);
    }

    /// <summary>The bounding box of the rows and columns that hold enough non-background pixels, or null when none do.</summary>
    internal static Rectangle? ContentBox(Image<Rgba32> image, Rgba32 background, int tolerance)
    {
        var columnCounts = ArrayPool<int>.Shared.Rent(image.Width);
        try
        {
            var columns = columnCounts.AsSpan(0, image.Width);
            columns.Clear();
            var (top, bottom) = (-1, -1);
            var rowThreshold = Math.Max(2, (int)(ContentShare * image.Width));
            image.ProcessPixelRows(rows =>
            {
                var counts = columnCounts.AsSpan(0, rows.Width);
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    var differing = 0;
                    for (var x = 0; x < row.Length; x++)
                    {
                        if (Differs(OnWhite(row[x]), background) > tolerance)
                        {
                            differing++;
                            counts[x]++;
                        }
                    }

                    if (differing >= rowThreshold)
                    {
                        top = top < 0 ? y : top;
                        bottom = y;
                    }
                }
            });

            var columnThreshold = Math.Max(2, (int)(ContentShare * image.Height));
            var left = columns.IndexOfAnyExceptInRange(0, columnThreshold - 1);
            var right = columns.LastIndexOfAnyExceptInRange(0, columnThreshold - 1);
            return top < 0 || left < 0 ? null : new Rectangle(left, top, right - left + 1, bottom - top + 1);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columnCounts);
        }
    }

    // The preprocessor composites transparency onto white; compare what the model will see.
    internal static Rgba32 OnWhite(Rgba32 p)
    {
        if (p.A == 255)
        {
            return p;
        }

        var alpha = p.A / 255f;
        var white = 255f * (1f - alpha);
        return new Rgba32((byte)((p.R * alpha) + white), (byte)((p.G * alpha) + white), (byte)((p.B * alpha) + white), 255);
    }

    /// <summary>The largest per-channel difference of two colours (0..255).</summary>
    internal static int Differs(Rgba32 a, Rgba32 b) =>
        Math.Max(Math.Abs(a.R - b.R), Math.Max(Math.Abs(a.G - b.G), Math.Abs(a.B - b.B)));

    private static byte Median(List<Rgba32> pixels, Func<Rgba32, byte> channel)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var pixel in pixels)
        {
            histogram[channel(pixel)]++;
        }

        var seen = 0;
        for (var value = 0; value < 256; value++)
        {
            seen += histogram[value];
            if (seen * 2 >= pixels.Count)
            {
                return (byte)value;
            }
        }

        return 255;
    }
}
