namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// Writes the JPEG variants ImageSharp 2.1 cannot encode (CMYK with an Adobe APP14 marker, progressive)
/// by hand. Every 8x8 block is flat (DC only, quantiser 1, AC all zero), which keeps the encoder to
/// Huffman-coding DC differences, yet the files are real JFIF/Adobe streams any decoder must handle.
/// </summary>
internal static class DcOnlyJpegWriter
{
    // Annex K.3 luminance DC table: categories 0..11 cover every DC difference of 8-bit samples.
    private static readonly byte[] DcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    // Only EOB (0x00) is ever coded; ZRL (0xF0) is there so the table is not a single all-ones code.
    private static readonly byte[] AcCounts = [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] AcSymbols = [0x00, 0xF0];

    public enum Kind
    {
        /// <summary>One component, baseline.</summary>
        Grey,

        /// <summary>Three components (JFIF YCbCr), progressive: a DC scan, then one AC scan per component.</summary>
        ProgressiveYCbCr,

        /// <summary>Four components with Adobe APP14 transform 0; values stored inverted as Photoshop does.</summary>
        AdobeCmyk,
    }

    /// <summary>
    /// Encodes <paramref name="planes"/> (one byte per sample, row-major, <paramref name="width"/> x
    /// <paramref name="height"/>), averaging each 8x8 block.
    /// </summary>
    /// <param name="acScanRounds">How many times the progressive AC scans are written (a hostile file repeats them).</param>
    public static byte[] Write(Kind kind, int width, int height, IReadOnlyList<byte[]> planes, int acScanRounds = 1)
    {
        var blocksX = (width + 7) / 8;
        var blocksY = (height + 7) / 8;
        var dc = planes.Select(p => BlockDc(p, width, height, blocksX, blocksY)).ToArray();

        using var output = new MemoryStream();
        Marker(output, 0xD8);
        if (kind == Kind.AdobeCmyk)
        {
            Segment(output, 0xEE, [.. "Adobe"u8, 0, 100, 0, 0, 0, 0, 0]);
        }
        else
        {
            Segment(output, 0xE0, [.. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        }

        Segment(output, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)planes.Count };
        for (var c = 0; c < planes.Count; c++)
        {
            frame.AddRange([(byte)(c + 1), 0x11, 0]);
        }

        Segment(output, kind == Kind.ProgressiveYCbCr ? (byte)0xC2 : (byte)0xC0, [.. frame]);
        Segment(output, 0xC4, [0x00, .. DcCounts, .. DcSymbols, 0x10, .. AcCounts, .. AcSymbols]);

        var dcCodes = CanonicalCodes(DcCounts, DcSymbols);
        var acCodes = CanonicalCodes(AcCounts, AcSymbols);
        var components = Enumerable.Range(0, planes.Count).ToArray();
        if (kind == Kind.ProgressiveYCbCr)
        {
            Scan(output, components, 0, 0, bits => EncodeBlocks(bits, dc, components, dcCodes, null));
            foreach (var c in Enumerable.Repeat(components, acScanRounds).SelectMany(c => c))
            {
                Scan(output, [c], 1, 63, bits =>
                {
                    for (var block = 0; block < blocksX * blocksY; block++)
                    {
                        bits.Write(acCodes[0x00]); // EOB0: this block's band is all zero.
                    }
                });
            }
        }
        else
        {
            Scan(output, components, 0, 63, bits => EncodeBlocks(bits, dc, components, dcCodes, acCodes[0x00]));
        }

        Marker(output, 0xD9);
        return output.ToArray();
    }

    /// <summary>Photoshop-style inverted CMYK planes whose naive conversion gives back <paramref name="rgb"/>.</summary>
    public static byte[][] InvertedCmykPlanes(byte[] rgb, int pixels)
    {
        var planes = new[] { new byte[pixels], new byte[pixels], new byte[pixels], new byte[pixels] };
        for (var i = 0; i < pixels; i++)
        {
            var (r, g, b) = (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]);
            var max = Math.Max(r, Math.Max(g, b));
            // Stored values are 255 - ink: K' = max, C' = R/K' (so R = C' * K' / 255), likewise M', Y'.
            planes[3][i] = max;
            planes[0][i] = max == 0 ? (byte)255 : (byte)Math.Round(r * 255.0 / max);
            planes[1][i] = max == 0 ? (byte)255 : (byte)Math.Round(g * 255.0 / max);
            planes[2][i] = max == 0 ? (byte)255 : (byte)Math.Round(b * 255.0 / max);
        }

        return planes;
    }

    public static byte[][] YCbCrPlanes(byte[] rgb, int pixels)
    {
        var planes = new[] { new byte[pixels], new byte[pixels], new byte[pixels] };
        for (var i = 0; i < pixels; i++)
        {
            var (r, g, b) = ((double)rgb[3 * i], (double)rgb[(3 * i) + 1], (double)rgb[(3 * i) + 2]);
            planes[0][i] = Clamp((0.299 * r) + (0.587 * g) + (0.114 * b));
            planes[1][i] = Clamp(128 - (0.168736 * r) - (0.331264 * g) + (0.5 * b));
            planes[2][i] = Clamp(128 + (0.5 * r) - (0.418688 * g) - (0.081312 * b));
        }

        return planes;
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static int[] BlockDc(byte[] plane, int width, int height, int blocksX, int blocksY)
    {
        var dc = new int[blocksX * blocksY];
        for (var by = 0; by < blocksY; by++)
        {
            for (var bx = 0; bx < blocksX; bx++)
            {
                var sum = 0;
                for (var y = 0; y < 8; y++)
                {
                    for (var x = 0; x < 8; x++)
                    {
                        // Edge blocks repeat the last row and column, as encoders pad.
                        sum += plane[(Math.Min((by * 8) + y, height - 1) * width) + Math.Min((bx * 8) + x, width - 1)];
                    }
                }

                // A flat block of value v has DC = 8 * (v - 128) in JPEG's DCT scaling.
                dc[(by * blocksX) + bx] = (int)Math.Round((sum / 64.0 - 128) * 8);
            }
        }

        return dc;
    }

    private static void EncodeBlocks(BitWriter bits, int[][] dc, int[] components, Dictionary<byte, (int Code, int Length)> dcCodes, (int, int)? eob)
    {
        var predictions = new int[dc.Length];
        for (var block = 0; block < dc[0].Length; block++)
        {
            foreach (var c in components)
            {
                var diff = dc[c][block] - predictions[c];
                predictions[c] = dc[c][block];
                var category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                bits.Write(dcCodes[(byte)category]);
                if (category > 0)
                {
                    bits.Write((diff < 0 ? diff - 1 : diff) & ((1 << category) - 1), category);
                }

                if (eob is { } code)
                {
                    bits.Write(code);
                }
            }
        }
    }

    private static void Scan(MemoryStream output, int[] components, byte start, byte end, Action<BitWriter> encode)
    {
        var header = new List<byte> { (byte)components.Length };
        foreach (var c in components)
        {
            header.AddRange([(byte)(c + 1), 0x00]);
        }

        header.AddRange([start, end, 0]);
        Segment(output, 0xDA, [.. header]);
        var bits = new BitWriter(output);
        encode(bits);
        bits.Flush();
    }

    private static Dictionary<byte, (int Code, int Length)> CanonicalCodes(byte[] counts, byte[] symbols)
    {
        var codes = new Dictionary<byte, (int, int)>();
        var (code, k) = (0, 0);
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++)
            {
                codes[symbols[k++]] = (code++, length);
            }

            code <<= 1;
        }

        return codes;
    }

    private static void Marker(MemoryStream output, byte marker)
    {
        output.WriteByte(0xFF);
        output.WriteByte(marker);
    }

    private static void Segment(MemoryStream output, byte marker, byte[] payload)
    {
        Marker(output, marker);
        output.WriteByte((byte)((payload.Length + 2) >> 8));
        output.WriteByte((byte)(payload.Length + 2));
        output.Write(payload);
    }

    /// <summary>MSB-first bits with JPEG's byte stuffing (0xFF is followed by 0x00) and 1-padding.</summary>
    private sealed class BitWriter(MemoryStream output)
    {
        private int _buffer;
        private int _count;

        public void Write((int Code, int Length) code) => Write(code.Code, code.Length);

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.WriteByte(0);
            }

            (_buffer, _count) = (0, 0);
        }
    }
}
