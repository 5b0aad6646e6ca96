using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace ProductSearch.Imaging;

/// <summary>
/// Walks a file's structure by its format's own rules before any decoder sees it, and refuses the lies a decoder would
/// act on: ImageSharp 2.1 allocates WebP EXIF, XMP and ICC chunks from their declared length (a lie becomes
/// an <see cref="OutOfMemoryException"/>), casts lengths over 2 GB to negative skips (a loop that never
/// ends), decodes every scan a progressive JPEG declares, and switches to a second PNG header in mid-image (writing
/// past its rows). The first line of defence; the decoder process's limits are the second.
/// </summary>
internal static class ImageStructure
{
    // TurboJPEG's scan limit for untrusted files (TJPARAM_SCANLIMIT's suggested value): real encoders write
    // about ten, and each scan costs a pass over every block of the image.
    internal const int MaxJpegScans = 500;

    // Real files carry a handful of APPn segments (JFIF, EXIF, XMP, an ICC profile in a few chunks, Adobe); ImageSharp
    // grows a profile by copying it for each segment, so a flood of them costs quadratic time.
    internal const int MaxJpegSegmentsPerApplicationMarker = 32;
    internal const int MaxJpegApplicationSegments = 64;
    internal const long MaxJpegApplicationBytes = 4L * 1024 * 1024;

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
        PngFormat => CheckPng(bytes, limits),
        JpegFormat => CheckJpeg(bytes),
        _ => new Findings(null),
    };

    /// <summary>
    /// Every chunk to the end of the bytes (the decoder reads past the RIFF size too) must fit in what is left; the
    /// frame must be a still image whose size agrees with a VP8X canvas, and both must be within the pixel limits
    /// (Identify reports only the first frame's size). A lossy frame's first partition must fit in its chunk.
    /// </summary>
    private static Findings CheckWebp(ReadOnlySpan<byte> bytes, ImageLimits limits)
    {
        if (bytes.Length < RiffHeaderBytes || !bytes[8..12].SequenceEqual("WEBP"u8))
        {
            throw Corrupt("The WebP file has no RIFF/WEBP header.");
        }

        (long Width, long Height)? canvas = null, frame = null;
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

            var data = bytes.Slice(position + ChunkHeaderBytes, (int)declared);
            switch (name)
            {
                case "VP8X" when data.Length >= 10:
                    if ((data[0] & 0x02) != 0)
                    {
                        throw Unsupported("The WebP is animated; upload a still image (one frame).");
                    }

                    canvas = (ReadUInt24(data[4..]) + 1L, ReadUInt24(data[7..]) + 1L);
                    CheckPixels("WebP canvas", canvas.Value.Width, canvas.Value.Height, limits);
                    break;
                case "ANIM" or "ANMF":
                    throw Unsupported("The WebP is animated; upload a still image (one frame).");
                case "VP8 " or "VP8L" when frame is not null:
                    throw Corrupt("The WebP holds more than one image frame.");
                case "VP8 ":
                    frame = Vp8FrameSize(data);
                    break;
                case "VP8L":
                    frame = Vp8LFrameSize(data);
                    break;
            }

            // Chunks are padded to an even length.
            position += ChunkHeaderBytes + (int)declared + (int)(declared & 1);
        }

        if (frame is not { } size)
        {
            throw Corrupt("The WebP holds no image frame (VP8 or VP8L chunk).");
        }

        CheckPixels("WebP frame", size.Width, size.Height, limits);
        if (canvas is { } c && c != size)
        {
            throw Corrupt($"The WebP canvas is {c.Width}x{c.Height} but its frame is {size.Width}x{size.Height}.");
        }

        return new Findings(null);
    }

    // RFC 6386 9.1: a 3-byte frame tag (key frame, first partition size), the start code, 14-bit width and height.
    private static (long, long) Vp8FrameSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10 || !data[3..6].SequenceEqual((ReadOnlySpan<byte>)[0x9D, 0x01, 0x2A]))
        {
            throw Corrupt("The WebP's lossy frame has no VP8 key frame header.");
        }

        var tag = ReadUInt24(data);
        if ((tag & 1) != 0)
        {
            throw Corrupt("The WebP's lossy frame is not a key frame.");
        }

        var firstPartition = tag >> 5;
        if (firstPartition > data.Length - 10)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Truncated, $"The WebP's first VP8 partition declares {firstPartition} bytes but only {data.Length - 10} follow.");
        }

        var (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF);
        // Every macroblock of a key frame codes its luma and chroma modes in the first partition under fixed
        // probabilities, at least about 3 bits; under 1 bit each, the header claims pixels its data cannot hold and a
        // decoder would make them up from zeros.
        var macroblocks = ((width + 15L) / 16) * ((height + 15L) / 16);
        if (firstPartition * 8L < macroblocks)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.Truncated,
                $"The WebP declares {width}x{height} pixels but its data ({firstPartition} bytes of modes for {macroblocks} macroblocks) cannot hold them.");
        }

        return (width, height);
    }

    // The lossless bitstream: a 0x2F signature, then 14 bits of width - 1 and 14 of height - 1.
    private static (long, long) Vp8LFrameSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 5 || data[0] != 0x2F)
        {
            throw Corrupt("The WebP's lossless frame has no VP8L signature.");
        }

        var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
        return ((bits & 0x3FFF) + 1L, ((bits >> 14) & 0x3FFF) + 1L);
    }

    /// <summary>
    /// By the PNG specification's chunk rules: IHDR first and only once, with valid fields; at most one PLTE, before the
    /// image data; IDAT chunks consecutive; no unknown critical chunk; then the image data itself must inflate to the
    /// rows the header declares (<see cref="PngImageData"/>). Returns the eXIf chunk, if any, for orientation.
    /// </summary>
    private static Findings CheckPng(ReadOnlySpan<byte> bytes, ImageLimits limits)
    {
        byte[]? exif = null;
        PngHeader? header = null;
        var paletteEntries = 0;
        var (dataChunks, dataEnded) = (new List<Range>(), false);
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

            var start = position + ChunkHeaderBytes;
            var data = bytes.Slice(start, (int)declared);
            if (header is null && name != "IHDR")
            {
                throw Corrupt($"The PNG starts with a '{name}' chunk instead of its IHDR header.");
            }

            if (name != "IDAT" && dataChunks.Count > 0)
            {
                dataEnded = true;
            }

            switch (name)
            {
                case "IHDR" when header is not null:
                    throw Corrupt("The PNG has a second IHDR header: its size would change in the middle of the image.");
                case "IHDR":
                    header = PngHeader.Read(data);
                    CheckPixels("PNG", header.Width, header.Height, limits);
                    break;
                case "PLTE":
                    paletteEntries = CheckPalette(data, header!, paletteEntries, dataChunks.Count > 0);
                    break;
                case "IDAT" when dataEnded:
                    throw Corrupt("The PNG's IDAT chunks are not consecutive.");
                case "IDAT":
                    dataChunks.Add(new Range(start, start + (int)declared));
                    break;
                case "eXIf" when exif is null:
                    exif = data.ToArray();
                    break;
                case "IEND":
                    position = bytes.Length;
                    continue;
                default:
                    if ((bytes[position + 4] & 0x20) == 0)
                    {
                        throw Corrupt($"The PNG has an unknown critical chunk '{name}'.");
                    }

                    break;
            }

            position += PngChunkOverheadBytes + (int)declared;
        }

        if (header is null)
        {
            throw Corrupt("The PNG has no IHDR header.");
        }

        if (header.ColourType == 3 && paletteEntries == 0)
        {
            throw Corrupt("The PNG is palette-based but has no PLTE palette.");
        }

        PngImageData.Check(bytes, dataChunks, header, paletteEntries);
        return new Findings(exif);
    }

    private static int CheckPalette(ReadOnlySpan<byte> data, PngHeader header, int seen, bool afterData)
    {
        if (seen > 0 || afterData)
        {
            throw Corrupt(seen > 0 ? "The PNG has a second PLTE palette." : "The PNG's PLTE palette comes after its image data.");
        }

        if (header.ColourType is 0 or 4)
        {
            throw Corrupt("The PNG is greyscale but has a PLTE palette.");
        }

        if (data.Length == 0 || data.Length % 3 != 0 || data.Length / 3 > 256)
        {
            throw Corrupt($"The PNG's PLTE palette is {data.Length} bytes: not 1 to 256 entries of 3 bytes.");
        }

        return data.Length / 3;
    }

    /// <summary>
    /// Marker segments must fit in the file, and the number of scans is capped. Entropy-coded data escapes every
    /// 0xFF as 0xFF00, and restart markers carry no length, so any other 0xFF-prefixed byte there is a marker: a decoder
    /// finds every marker this walk finds. Markers a decoder would misread are refused (JPGn, reserved); variants it does
    /// not implement are unsupported; APPn segments, which ImageSharp appends one to another, are bounded.
    /// </summary>
    private static Findings CheckJpeg(ReadOnlySpan<byte> bytes)
    {
        var (position, scans, frames, applicationSegments, applicationBytes) = (2, 0, 0, 0, 0L);
        Span<int> perApplicationMarker = stackalloc int[16];
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

            CheckJpegMarker(marker, ref frames);
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

            if (marker is >= 0xE0 and <= 0xEF)
            {
                applicationBytes += declared;
                if (++perApplicationMarker[marker - 0xE0] > MaxJpegSegmentsPerApplicationMarker
                    || ++applicationSegments > MaxJpegApplicationSegments || applicationBytes > MaxJpegApplicationBytes)
                {
                    throw Corrupt(
                        $"The JPEG has more metadata than an image may: over {MaxJpegSegmentsPerApplicationMarker} APP{marker - 0xE0} segments, {MaxJpegApplicationSegments} APPn segments or {MaxJpegApplicationBytes / (1024 * 1024)} MiB of them.");
                }
            }

            position += 2 + declared;
        }

        return new Findings(null);
    }

    private static void CheckJpegMarker(byte marker, ref int frames)
    {
        switch (marker)
        {
            case 0xC0 or 0xC1 or 0xC2 or 0xC9 or 0xCA:
                if (++frames > 1)
                {
                    throw Corrupt("The JPEG has more than one frame header.");
                }

                break;
            case 0xC3 or 0xC7 or 0xCB or 0xCF:
                throw Unsupported("The JPEG is lossless, which cannot be decoded here; save it as a baseline or progressive JPEG.");
            case 0xC5 or 0xC6 or 0xCD or 0xCE or 0xDE or 0xDF:
                throw Unsupported("The JPEG is hierarchical, which cannot be decoded here; save it as a baseline or progressive JPEG.");
            case 0xD8:
                throw Corrupt("The JPEG has a second start-of-image marker.");
            case (>= 0x02 and <= 0xBF) or 0xC8 or (>= 0xF0 and <= 0xFD):
                throw Corrupt($"The JPEG uses the reserved marker 0x{marker:X2}, which no encoder writes.");
        }
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

    internal static ImageRejectedException Corrupt(string message) => new(ImageRejectionReason.Corrupt, message);

    private static ImageRejectedException Unsupported(string message) => new(ImageRejectionReason.UnsupportedFormat, message);
}
