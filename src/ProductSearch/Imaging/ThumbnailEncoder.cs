using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Imaging;

/// <summary>
/// The small picture a storefront tile shows, made inside a decoder process from the same decode as the model's input:
/// the whole upright photo (untrimmed), shrunk to the long side (never enlarged), transparency on white, as JPEG.
/// </summary>
internal static class ThumbnailEncoder
{
    public static byte[] Encode(Image<Rgba32> image, ThumbnailEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(encoding);
        var size = SizeOf(image.Width, image.Height, encoding.LongSide);
        // Resizing while cloning writes the small image straight away, with no full-size copy first.
        using var thumbnail = size == image.Size()
            ? image.Clone()
            : image.Clone(x => x.Resize(new ResizeOptions { Size = size, Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));

        // JPEG has no alpha: cut-outs go on white, as the model sees them. Most photos are opaque, and the blend would
        // cost them as much as the resize, so it runs only where a pixel can show through.
        if (!ImageCompleteness.AllOpaque(thumbnail))
        {
            thumbnail.Mutate(x => x.BackgroundColor(Color.White));
        }

        using var output = new MemoryStream();
        thumbnail.SaveAsJpeg(output, new JpegEncoder { Quality = encoding.Quality, ColorType = JpegColorType.YCbCrRatio420 });
        return output.ToArray();
    }

    /// <summary>The thumbnail's size: the long side at most <paramref name="longSide"/>, the aspect ratio kept, at least 1 px.</summary>
    public static Size SizeOf(int width, int height, int longSide)
    {
        var scale = Math.Min(1.0, longSide / (double)Math.Max(width, height));
        return new Size(Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
