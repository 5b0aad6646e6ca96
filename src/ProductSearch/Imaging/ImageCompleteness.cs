using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Imaging;

/// <summary>
/// Catches the images ImageSharp 2.1 decodes without complaint although part of them is missing. Its JPEG
/// and WebP decoders are lenient: a truncated JPEG, or one whose frame header declares more pixels than its
/// scan holds, decodes to the pixels it has and leaves the rest of the buffer cleared (transparent black);
/// a truncated lossy WebP decodes to noise. Indexing such a half-image would put a wrong vector in the
/// catalogue, so they are refused as <see cref="ImageRejectionReason.Truncated"/>. (Truncated PNGs already
/// fail to decode: their IDAT chunk ends early.)
/// </summary>
internal static class ImageCompleteness
{
    private const byte MarkerPrefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;

    // Where an Rgba32's alpha byte lands in a uint read in the machine's byte order.
    private static readonly uint AlphaBits = BitConverter.IsLittleEndian ? 0xFF000000u : 0x000000FFu;

    /// <summary>Checks the bytes end where the format says the image ends; run before decoding.</summary>
    public static void EnsureComplete(IImageFormat format, ReadOnlySpan<byte> bytes)
    {
        if (format is JpegFormat && !JpegHasEndOfImage(bytes))
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, "The JPEG ends before its End Of Image marker: the upload was cut short.");
        }

        if (format is WebpFormat && bytes.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) + 8L > bytes.Length)
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, "The WebP file is shorter than its RIFF header declares: the upload was cut short.");
        }
    }

    /// <summary>
    /// A JPEG has no alpha, so every decoded pixel is opaque; a pixel ImageSharp never wrote is still
    /// (0,0,0,0). That is the only sign of a header that lies about the size within our limits.
    /// </summary>
    public static void EnsureFullyDecoded(IImageFormat format, Image<Rgba32> image)
    {
        if (format is not JpegFormat)
        {
            return;
        }

        if (!AllOpaque(image))
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Truncated, $"The JPEG declares {image.Width}x{image.Height} pixels but its data does not cover them.");
        }
    }

    /// <summary>Whether no pixel of <paramref name="image"/> lets anything show through (every alpha 255), from the last row up.</summary>
    public static bool AllOpaque(Image<Rgba32> image)
    {
        var opaque = true;
        image.ProcessPixelRows(rows =>
        {
            for (var y = rows.Height - 1; y >= 0 && opaque; y--)
            {
                opaque = AllOpaque(MemoryMarshal.Cast<Rgba32, uint>(rows.GetRowSpan(y)));
            }
        });
        return opaque;
    }

    // Read as a native uint an Rgba32's alpha is one byte of it: every pixel is opaque when the AND of all of them keeps
    // that byte at 0xFF. A vector at a time: a scalar test per pixel was a visible part of every upload's decode
    // (docs/performance.md).
    private static bool AllOpaque(ReadOnlySpan<uint> pixels)
    {
        var all = uint.MaxValue;
        var i = 0;
        if (Vector.IsHardwareAccelerated && pixels.Length >= Vector<uint>.Count)
        {
            var lanes = new Vector<uint>(uint.MaxValue);
            for (; i <= pixels.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                lanes &= new Vector<uint>(pixels[i..]);
            }

            for (var lane = 0; lane < Vector<uint>.Count; lane++)
            {
                all &= lanes[lane];
            }
        }

        for (; i < pixels.Length; i++)
        {
            all &= pixels[i];
        }

        return (all & AlphaBits) == AlphaBits;
    }

    /// <summary>
    /// Walks the marker segments to the first scan (an EXIF thumbnail's own EOI sits in APP1, before it),
    /// then looks for EOI: entropy-coded data escapes every 0xFF, so a 0xFF 0xD9 there is the real end.
    /// </summary>
    private static bool JpegHasEndOfImage(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || bytes[0] != MarkerPrefix || bytes[1] != StartOfImage)
        {
            return false;
        }

        var position = 2;
        while (position + 4 <= bytes.Length)
        {
            if (bytes[position] != MarkerPrefix)
            {
                return false;
            }

            var marker = bytes[position + 1];
            if (marker == MarkerPrefix)
            {
                position++; // Fill bytes before a marker are allowed.
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            position += 2 + length;
            if (marker == StartOfScan)
            {
                return position < bytes.Length && bytes[position..].IndexOf([MarkerPrefix, EndOfImage]) >= 0;
            }
        }

        return false;
    }
}
