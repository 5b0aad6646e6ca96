using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>PNGs whose header says what we want, whatever the pixels: chunks with valid CRCs, so only the size can be refused.</summary>
internal static class CraftedPng
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>An 8-bit RGB PNG declaring <paramref name="width"/> x <paramref name="height"/> whose IDAT holds only <paramref name="rows"/> zero rows.</summary>
    public static byte[] Declaring(int width, int height, int rows = 1)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: RGB
        Chunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // A row is a filter byte then 3 bytes a pixel; a handful is plenty to look real.
            var row = new byte[1 + (3L * width) > 1 << 20 ? 1 << 20 : 1 + (3 * width)];
            for (var i = 0; i < rows; i++)
            {
                zlib.Write(row);
            }
        }

        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A PNG of exactly these chunks, in this order, each with a valid CRC.</summary>
    public static byte[] Build(params (string Type, byte[] Data)[] chunks)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in chunks)
        {
            Chunk(output, type, data);
        }

        return output.ToArray();
    }

    public static byte[] Header(int width, int height, byte bitDepth, byte colourType)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        return header;
    }

    /// <summary><paramref name="raw"/> (filtered rows) as a zlib stream, optionally flagged as needing a preset dictionary.</summary>
    public static byte[] Zlib(byte[] raw, bool presetDictionary = false)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var stream = compressed.ToArray();
        if (!presetDictionary)
        {
            return stream;
        }

        // FLG with FDICT set and the header check (CMF * 256 + FLG divisible by 31), then a dictionary id.
        var flags = Enumerable.Range(0x20, 0x20).First(f => ((stream[0] << 8) | f) % 31 == 0);
        return [stream[0], (byte)flags, 0, 0, 0, 1, .. stream.AsSpan(2)];
    }

    /// <summary>
    /// <paramref name="png"/> with one more chunk before IEND, whose header may declare <paramref name="declared"/>
    /// bytes instead of its real length; its CRC is valid either way.
    /// </summary>
    public static byte[] WithChunk(byte[] png, string type, byte[] data, uint? declared = null)
    {
        using var output = new MemoryStream();
        output.Write(png.AsSpan(0, png.Length - 12)); // Everything up to IEND, which is 12 bytes with no data.
        Chunk(output, type, data, declared);
        output.Write(png.AsSpan(png.Length - 12));
        return output.ToArray();
    }

    private static void Chunk(MemoryStream output, string type, byte[] data, uint? declared = null)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, declared ?? (uint)data.Length);
        output.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
