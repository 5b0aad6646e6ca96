using System.Diagnostics;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The slowest legitimate images: the largest each format may be under the default limits, with photo-like noise
/// so no encoder shortcut helps, loaded through <see cref="SafeImageLoader"/> (every check, decode, orientation).
/// Their time against <see cref="ImageLimits.DecodeTimeout"/> is the margin the time limit and host.json's
/// functionTimeout leave a shop.
/// </summary>
internal static class DecodeLimitReport
{
    public static async Task RunAsync(bool quick)
    {
        var limits = new ImageLimits();
        var loader = new SafeImageLoader(Options.Create(limits));
        var (width, height) = quick ? (3000, 2000) : (7300, 5479); // 40.0 megapixels at full size: the MaxPixels limit.
        var table = new ResultTable(
            $"Slowest legitimate load, {width}x{height} (DecodeTimeout {limits.DecodeTimeout.TotalSeconds:0} s)",
            "load (ms)",
            "time limit (ms)");
        // Noise as strong as each format can carry at 40 MP within MaxBytes (20 MB).
        foreach (var (name, noise, encoder) in new (string, int, IImageEncoder)[]
        {
            ("JPEG q90 4:4:4, noise 16", 16, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }),
            ("PNG RGBA, smooth", 1, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, CompressionLevel = PngCompressionLevel.BestSpeed }),
            ("WebP lossy q80, noise 8", 8, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 80, Method = WebpEncodingMethod.Fastest }),
        })
        {
            using var image = NoisyPhoto(width, height, noise);
            using var encoded = new MemoryStream();
            await image.SaveAsync(encoded, encoder);
            if (encoded.Length > limits.MaxBytes)
            {
                Console.WriteLine($"{name}: {encoded.Length} bytes is over MaxBytes; not a legitimate upload, skipped.");
                continue;
            }

            var best = double.MaxValue;
            for (var run = 0; run < 3; run++)
            {
                encoded.Position = 0;
                var started = Stopwatch.GetTimestamp();
                using var loaded = await loader.LoadAsync(encoded, CancellationToken.None);
                best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            table.Add($"{name}, {encoded.Length / (1024 * 1024.0):0.0} MB", best, limits.DecodeTimeout.TotalMilliseconds, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        table.Print();
    }

    internal static Image<Rgba32> NoisyPhoto(int width, int height, int noiseLevels)
    {
        var image = new Image<Rgba32>(width, height);
        var random = new Random(40);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var noise = random.Next(noiseLevels);
                    row[x] = new Rgba32((byte)((x / 29) + noise), (byte)((y / 23) + noise), (byte)(((x + y) / 41) + noise), 255);
                }
            }
        });
        return image;
    }
}
