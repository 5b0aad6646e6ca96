using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Testing;

/// <summary>Valid images built to cost a decoder time or memory, for the limits that guard against them.</summary>
public static class CraftedImages
{
    /// <summary>6000x6000 of noise-free gradient: quick to encode, and no decoder turns 36 million pixels around in microseconds.</summary>
    public static byte[] LargePng()
    {
        using var image = new Image<Rgba32>(6000, 6000);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)x, (byte)y, (byte)(x ^ y), 255);
                }
            }
        });
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
        return stream.ToArray();
    }
}
