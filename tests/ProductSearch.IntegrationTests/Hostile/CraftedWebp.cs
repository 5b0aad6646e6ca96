using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// WebP files assembled chunk by chunk around a real encoded bitstream, so that one chunk can lie about its
/// length while the RIFF size matches the file (a truncation check alone would not see it).
/// </summary>
internal static class CraftedWebp
{
    /// <summary>A chunk whose header declares <see cref="Declared"/> bytes while <see cref="Payload"/> is what follows.</summary>
    public sealed record Chunk(string Name, byte[] Payload, uint? Declared = null);

    // VP8X feature flags (RIFF container spec): ICC, alpha, EXIF, XMP, animation.
    public const byte IccFlag = 1 << 5;
    public const byte ExifFlag = 1 << 3;
    public const byte XmpFlag = 1 << 2;

    /// <summary>The bitstream chunk (VP8 or VP8L) of the image encoded by ImageSharp.</summary>
    public static Chunk Bitstream(Image<Rgba32> image, bool lossless)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new WebpEncoder { FileFormat = lossless ? WebpFileFormatType.Lossless : WebpFileFormatType.Lossy, Quality = 80 });
        var file = stream.ToArray();
        var name = Encoding.ASCII.GetString(file, 12, 4);
        var size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16));
        return new Chunk(name, file[20..(20 + size)]);
    }

    /// <summary>RIFF/WEBP around the chunks as given: the simple format when the first is the bitstream.</summary>
    public static byte[] File(params Chunk[] chunks)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        Span<byte> size = stackalloc byte[4];
        foreach (var chunk in chunks)
        {
            body.Write(Encoding.ASCII.GetBytes(chunk.Name));
            BinaryPrimitives.WriteUInt32LittleEndian(size, chunk.Declared ?? (uint)chunk.Payload.Length);
            body.Write(size);
            body.Write(chunk.Payload);
            if (chunk.Payload.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }

        using var file = new MemoryStream();
        file.Write("RIFF"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        file.Write(size);
        body.WriteTo(file);
        return file.ToArray();
    }

    /// <summary>The extended format's header chunk: feature flags and the canvas size.</summary>
    public static Chunk Vp8X(byte flags, int canvasWidth, int canvasHeight)
    {
        var payload = new byte[10];
        payload[0] = flags;
        WriteUInt24(payload.AsSpan(4), canvasWidth - 1);
        WriteUInt24(payload.AsSpan(7), canvasHeight - 1);
        return new Chunk("VP8X", payload);
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
