using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace ProductSearch.Imaging;

/// <summary>A PNG's IHDR fields, checked against the specification's table of colour types and bit depths.</summary>
internal sealed record PngHeader(long Width, long Height, int BitDepth, int ColourType, bool Interlaced)
{
    public static PngHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw ImageStructure.Corrupt($"The PNG's IHDR header is {data.Length} bytes, not 13.");
        }

        var header = new PngHeader(
            BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data[8], data[9], data[12] == 1);
        var depthAllowed = header.ColourType switch
        {
            0 => header.BitDepth is 1 or 2 or 4 or 8 or 16,
            3 => header.BitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => header.BitDepth is 8 or 16,
            _ => false,
        };
        if (header.Width == 0 || header.Height == 0 || !depthAllowed || data[10] != 0 || data[11] != 0 || data[12] > 1)
        {
            throw ImageStructure.Corrupt(
                $"The PNG's IHDR header is invalid: {header.Width}x{header.Height}, colour type {header.ColourType}, bit depth {header.BitDepth}, methods {data[10]}/{data[11]}/{data[12]}.");
        }

        return header;
    }

    public int BitsPerPixel => BitDepth * (ColourType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 });
}

/// <summary>
/// Inflates a PNG's image data once, without keeping it, to check what a decoder would otherwise make up: a zlib
/// stream with a preset dictionary (which no PNG may use), fewer bytes than the header's rows need (a decoder fills the
/// rest with white), a row filter type that does not exist, and, for palette images, an index past the palette.
/// </summary>
internal static class PngImageData
{
    // Adam7: x start, y start, x step, y step of each pass.
    private static readonly (int X, int Y, int DX, int DY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static void Check(ReadOnlySpan<byte> file, List<Range> chunks, PngHeader header, int paletteEntries)
    {
        var length = chunks.Sum(c => c.End.Value - c.Start.Value);
        if (length < 2)
        {
            throw new ImageRejectedException(ImageRejectionReason.Truncated, "The PNG has no image data: the upload was cut short.");
        }

        var compressed = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var chunk in chunks)
            {
                file[chunk].CopyTo(compressed.AsSpan(written));
                written += chunk.End.Value - chunk.Start.Value;
            }

            var (cmf, flags) = (compressed[0], compressed[1]);
            if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flags) % 31 != 0)
            {
                throw ImageStructure.Corrupt("The PNG's image data is not a zlib stream.");
            }

            if ((flags & 0x20) != 0)
            {
                throw ImageStructure.Corrupt("The PNG's image data asks for a preset dictionary, which PNG does not allow.");
            }

            using var inflated = new DeflateStream(new MemoryStream(compressed, 2, length - 2, writable: false), CompressionMode.Decompress);
            CheckRows(inflated, header, paletteEntries);
        }
        catch (InvalidDataException e)
        {
            throw ImageStructure.Corrupt($"The PNG's compressed image data is damaged: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static void CheckRows(Stream inflated, PngHeader header, int paletteEntries)
    {
        var passes = header.Interlaced ? Adam7 : [(0, 0, 1, 1)];
        var maxRow = RowBytes(header.Width, header.BitsPerPixel);
        var current = ArrayPool<byte>.Shared.Rent((int)maxRow + 1);
        var previous = ArrayPool<byte>.Shared.Rent((int)maxRow + 1);
        var (rowsRead, rowsDeclared) = (0L, 0L);
        try
        {
            foreach (var (x, y, dx, dy) in passes)
            {
                var (width, height) = (Math.Max(0, (header.Width - x + dx - 1) / dx), Math.Max(0, (header.Height - y + dy - 1) / dy));
                if (width == 0 || height == 0)
                {
                    continue;
                }

                rowsDeclared += height;
                var row = (int)RowBytes(width, header.BitsPerPixel) + 1;
                Array.Clear(previous, 0, row);
                for (var r = 0; r < height; r++)
                {
                    if (inflated.ReadAtLeast(current.AsSpan(0, row), row, throwOnEndOfStream: false) < row)
                    {
                        throw new ImageRejectedException(
                            ImageRejectionReason.Truncated,
                            $"The PNG's image data holds {rowsRead} of the {TotalRows(header, passes)} rows its {header.Width}x{header.Height} pixels need: the image is incomplete.");
                    }

                    if (current[0] > 4)
                    {
                        throw ImageStructure.Corrupt($"A row of the PNG uses filter type {current[0]}, which does not exist.");
                    }

                    if (header.ColourType == 3)
                    {
                        Unfilter(current.AsSpan(0, row), previous.AsSpan(0, row), Math.Max(1, header.BitsPerPixel / 8));
                        CheckIndices(current.AsSpan(1, row - 1), (int)width, header.BitDepth, paletteEntries);
                        (current, previous) = (previous, current);
                    }

                    rowsRead++;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(previous);
        }
    }

    private static long TotalRows(PngHeader header, (int X, int Y, int DX, int DY)[] passes) =>
        passes.Sum(p => header.Width > p.X ? Math.Max(0, (header.Height - p.Y + p.DY - 1) / p.DY) : 0);

    private static long RowBytes(long width, int bitsPerPixel) => ((width * bitsPerPixel) + 7) / 8;

    // PNG's five filters, undone in place; row[0] is the filter type, prior is the previous row already undone.
    private static void Unfilter(Span<byte> row, ReadOnlySpan<byte> prior, int bytesPerPixel)
    {
        var filter = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            int left = i > bytesPerPixel ? row[i - bytesPerPixel] : 0;
            int up = prior[i];
            int upLeft = i > bytesPerPixel ? prior[i - bytesPerPixel] : 0;
            row[i] += filter switch
            {
                1 => (byte)left,
                2 => (byte)up,
                3 => (byte)((left + up) / 2),
                4 => Paeth(left, up, upLeft),
                _ => 0,
            };
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    private static void CheckIndices(ReadOnlySpan<byte> row, int width, int bitDepth, int paletteEntries)
    {
        var perByte = 8 / bitDepth;
        var mask = (1 << bitDepth) - 1;
        for (var x = 0; x < width; x++)
        {
            var shift = 8 - (bitDepth * ((x % perByte) + 1));
            var index = (row[x / perByte] >> shift) & mask;
            if (index >= paletteEntries)
            {
                throw ImageStructure.Corrupt($"The PNG uses palette entry {index}, but its palette has {paletteEntries}.");
            }
        }
    }
}
