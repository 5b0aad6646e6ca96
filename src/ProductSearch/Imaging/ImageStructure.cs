using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace ProductSearch.Imaging;

/// <summary>
/// Walks a file's container structure before any decoder sees it, and refuses the lies a decoder would
/// act on: ImageSharp 2.1 allocates WebP EXIF, XMP and ICC chunks from their declared length (a lie becomes
/// an <see cref="OutOfMemoryException"/>), casts lengths over 2 GB to negative skips (a loop that never
/// ends), and decodes every scan a progressive JPEG declares. Each check is one pass over headers, no pixels.
/// </summary>
internal static class ImageStructure
{
    // TurboJPEG's scan limit for untrusted files (TJPARAM_SCANLIMIT's suggested value): real encoders write
    // about ten, and each scan costs a pass over every block of the image.
    internal const int MaxJpegScans = 500;

    private const int RiffHeaderBytes = 12;
    private const int ChunkHeaderBytes = 8;
    private const int PngSignatureBytes = 8;
    private const int PngChunkOverheadBytes = 12;

    /// <summary>What the walk found that the decode needs: the PNG's EXIF, which the PNG decoder is told to skip.</summary>
    public sealed record Findings(byte[]? PngExif);

    /// <summary>Throws <see cref="ImageRejectedException"/> (Corrupt or TooManyPixels) for a structure that lies.</summary>
    public static Findings Check(IImageFormat format, ReadOnlySpan<byte> bytes, ImageLimits limits) => format switch
    {
        WebpFormat => CheckWebp(bytes, limits),
        PngFormat => CheckPng(bytes),
        JpegFormat => CheckJpeg(bytes),
        _ => new Findings(null),
    };

    /// <summary>
    /// Every chunk to the end of the bytes (the decoder reads past the RIFF size too) must fit in what is left;
    /// a VP8X canvas must be within the pixel limits, as Identify reports only the first frame's size.
    /// </summary>
    private static Findings CheckWebp(ReadOnlySpan<byte> bytes, ImageLimits limits)
    {
        if (bytes.Length < RiffHeaderBytes || !bytes[8..12].SequenceEqual("WEBP"u8))
        {
            throw Corrupt("The WebP file has no RIFF/WEBP header.");
        }

        var position = RiffHeaderBytes;
        while (bytes.Length - position >= ChunkHeaderBytes)
        {
            var name = FourCc(bytes.Slice(position, 4));
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(position + 4)..]);
            var remaining = bytes.Length - position - ChunkHeaderBytes;
            if (declared > (uint)remaining)
            {
                throw Corrupt($"The WebP chunk '{name}' declares {declared} bytes but only {remaining} follow.");
            }

            if (name == "VP8X" && declared >= 10)
            {
                var width = ReadUInt24(bytes[(position + 12)..]) + 1L;
                var height = ReadUInt24(bytes[(position + 15)..]) + 1L;
                CheckPixels("WebP canvas", width, height, limits);
            }

            // Chunks are padded to an even length.
            position += ChunkHeaderBytes + (int)declared + (int)(declared & 1);
        }

        return new Findings(null);
    }

    /// <summary>Every chunk up to IEND must fit in the file; returns the eXIf chunk, if any, for orientation.</summary>
    private static Findings CheckPng(ReadOnlySpan<byte> bytes)
    {
        byte[]? exif = null;
        var position = PngSignatureBytes;
        while (bytes.Length - position >= PngChunkOverheadBytes)
        {
            var declared = BinaryPrimitives.ReadUInt32BigEndian(bytes[position..]);
            var name = FourCc(bytes.Slice(position + 4, 4));
            var remaining = bytes.Length - position - PngChunkOverheadBytes;
            if (declared > (uint)remaining)
            {
                throw Corrupt($"The PNG chunk '{name}' declares {declared} bytes but only {remaining} follow.");
            }

            if (name == "eXIf" && exif is null)
            {
                exif = bytes.Slice(position + ChunkHeaderBytes, (int)declared).ToArray();
            }

            if (name == "IEND")
            {
                break;
            }

            position += PngChunkOverheadBytes + (int)declared;
        }

        return new Findings(exif);
    }

    /// <summary>
    /// Marker segments must fit in the file, and the number of scans is capped. Entropy-coded data escapes every
    /// 0xFF as 0xFF00, and restart markers carry no length, so any other 0xFF-prefixed byte there is a marker.
    /// </summary>
    private static Findings CheckJpeg(ReadOnlySpan<byte> bytes)
    {
        var (position, scans) = (2, 0);
        while (position + 1 < bytes.Length)
        {
            if (bytes[position] != 0xFF)
            {
                // Entropy-coded data between markers.
                var next = bytes[position..].IndexOf((byte)0xFF);
                position = next < 0 ? bytes.Length : position + next;
                continue;
            }

            var marker = bytes[position + 1];
            if (marker is 0x00 or 0xFF or (>= 0xD0 and <= 0xD7) or 0x01)
            {
                position += marker == 0xFF ? 1 : 2; // A stuffed byte, fill, a restart marker or TEM: no length.
                continue;
            }

            if (marker == 0xD9)
            {
                break; // End of image.
            }

            if (position + 4 > bytes.Length)
            {
                throw Corrupt($"The JPEG marker 0x{marker:X2} has no length.");
            }

            var declared = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            if (declared < 2 || position + 2 + declared > bytes.Length)
            {
                throw Corrupt($"The JPEG segment 0x{marker:X2} declares {declared} bytes but only {bytes.Length - position - 2} follow.");
            }

            if (marker == 0xDA && ++scans > MaxJpegScans)
            {
                throw Corrupt($"The JPEG has more than {MaxJpegScans} scans.");
            }

            position += 2 + declared;
        }

        return new Findings(null);
    }

    private static void CheckPixels(string what, long width, long height, ImageLimits limits)
    {
        if (width > limits.MaxSide || height > limits.MaxSide || width * height > limits.MaxPixels)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooManyPixels,
                $"The {what} declares {width}x{height} pixels; the limits are {limits.MaxPixels} pixels and {limits.MaxSide} per side.");
        }
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);

    private static string FourCc(ReadOnlySpan<byte> name)
    {
        Span<char> text = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            text[i] = name[i] is >= 0x20 and < 0x7F ? (char)name[i] : '?';
        }

        return new string(text);
    }

    private static ImageRejectedException Corrupt(string message) => new(ImageRejectionReason.Corrupt, message);
}
