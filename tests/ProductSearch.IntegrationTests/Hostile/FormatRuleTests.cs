using System.Buffers.Binary;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// The structure walk refuses, by each format's own rules, generated files that ImageSharp 2.1 would otherwise act on:
/// a PNG that changes its size mid-image (heap corruption), rows its data lacks, a preset dictionary, palette indices
/// past the palette; JPEG scans hidden where the walk would skip, APPn floods, lossless frames; WebP size lies.
/// </summary>
public sealed class FormatRuleTests
{
    private readonly SafeImageLoader _loader = new(Options.Create(new ImageLimits()));

    [Fact]
    public void APngWithASecondHeaderIsRefusedBeforeTheDecoderSwitchesSize()
    {
        // The 198-byte crash: 16x16 grey, its rows, then a header declaring 12000x16 and more rows.
        var png = CraftedPng.Build(
            ("IHDR", CraftedPng.Header(16, 16, 8, 0)), ("IDAT", CraftedPng.Zlib(new byte[16 * 17])),
            ("IHDR", CraftedPng.Header(12000, 16, 8, 0)), ("IDAT", CraftedPng.Zlib(new byte[16 * 12001])), ("IEND", []));

        var e = Refusal(png);

        Assert.Equal(ImageRejectionReason.Corrupt, e.Reason);
        Assert.Contains("second IHDR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APngWhoseDataHoldsHalfItsRowsIsTruncated()
    {
        var rgbRow = 1 + (3 * 64);
        var png = CraftedPng.Build(("IHDR", CraftedPng.Header(64, 480, 8, 2)), ("IDAT", CraftedPng.Zlib(new byte[rgbRow * 240])), ("IEND", []));

        var e = Refusal(png);

        Assert.Equal(ImageRejectionReason.Truncated, e.Reason);
        Assert.Contains("240 of the 480 rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInterlacedPngWithAllItsRowsLoads()
    {
        using var source = new Image<Rgba32>(37, 23, new Rgba32(200, 40, 90));
        using var stream = new MemoryStream();
        source.SaveAsPng(stream, new SixLabors.ImageSharp.Formats.Png.PngEncoder { InterlaceMethod = SixLabors.ImageSharp.Formats.Png.PngInterlaceMode.Adam7 });

        using var image = _loader.Decode(stream.ToArray(), CancellationToken.None);

        Assert.Equal((37, 23), (image.Width, image.Height));
    }

    [Fact]
    public void APngAskingForAPresetDictionaryIsRefused()
    {
        var png = CraftedPng.Build(("IHDR", CraftedPng.Header(8, 8, 8, 0)), ("IDAT", CraftedPng.Zlib(new byte[8 * 9], presetDictionary: true)), ("IEND", []));

        Assert.Contains("preset dictionary", Refusal(png).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APaletteIndexPastThePaletteIsRefused()
    {
        var rows = new byte[4 * 5];
        rows[1 + 2] = 7; // Row 0, pixel 2: entry 7 of a 2-entry palette.
        var png = CraftedPng.Build(
            ("IHDR", CraftedPng.Header(4, 4, 8, 3)), ("PLTE", [255, 0, 0, 0, 255, 0]), ("IDAT", CraftedPng.Zlib(rows)), ("IEND", []));

        Assert.Contains("palette entry 7", Refusal(png).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownCriticalPngChunkIsRefused()
    {
        var png = CraftedPng.Build(
            ("IHDR", CraftedPng.Header(8, 8, 8, 0)), ("ZZZZ", [1, 2, 3]), ("IDAT", CraftedPng.Zlib(new byte[8 * 9])), ("IEND", []));

        Assert.Contains("critical chunk 'ZZZZ'", Refusal(png).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JpegScansHiddenInAJpgSegmentAreRefused()
    {
        var jpeg = Jpeg();
        // A JPG0 segment whose body is start-of-scan markers a decoder would find and a length-skipping walk would not.
        var hidden = new List<byte> { 0xFF, 0xF0, 0, 0 };
        for (var i = 0; i < 2000; i++)
        {
            hidden.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        }

        BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hidden)[2..], (ushort)(hidden.Count - 2));
        var crafted = Insert(jpeg, 2, [.. hidden]);

        Assert.Contains("reserved marker 0xF0", Refusal(crafted).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJpegFloodOfExifSegmentsIsRefusedWithoutDecoding()
    {
        var segment = new byte[] { 0xFF, 0xE1, 0x00, 0x12, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        var flood = Enumerable.Repeat(segment, 100_000).SelectMany(s => s).ToArray();

        var e = Refusal(Insert(Jpeg(), 2, flood));

        Assert.Contains("APP1 segments", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xC3, "lossless")]
    [InlineData(0xC5, "hierarchical")]
    public void ValidJpegVariantsTheDecoderLacksAreUnsupported(byte frameMarker, string variant)
    {
        var jpeg = Jpeg();
        var frame = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        jpeg[frame + 1] = frameMarker;

        var e = Refusal(jpeg);

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, e.Reason);
        Assert.Contains(variant, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWebpFrameClaimingFarMorePixelsThanItsDataIsTruncated()
    {
        using var small = new Image<Rgba32>(256, 256, new Rgba32(30, 120, 200));
        var frame = CraftedWebp.Bitstream(small, lossless: false);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.Payload.AsSpan(6), 6000);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.Payload.AsSpan(8), 6000);

        Assert.Equal(ImageRejectionReason.Truncated, Refusal(CraftedWebp.File(frame)).Reason);
    }

    [Fact]
    public void AWebpCanvasThatDisagreesWithItsFrameIsRefused()
    {
        using var image = new Image<Rgba32>(64, 48, new Rgba32(30, 120, 200));
        var webp = CraftedWebp.File(CraftedWebp.Vp8X(0, 640, 480), CraftedWebp.Bitstream(image, lossless: true));

        Assert.Contains("canvas is 640x480 but its frame is 64x48", Refusal(webp).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAnimatedWebpIsUnsupported()
    {
        using var image = new Image<Rgba32>(64, 48, new Rgba32(30, 120, 200));
        var webp = CraftedWebp.File(CraftedWebp.Vp8X(0x02, 64, 48), CraftedWebp.Bitstream(image, lossless: true));

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, Refusal(webp).Reason);
    }

    [Fact]
    public void AStillWebpWithAMatchingCanvasLoads()
    {
        using var image = new Image<Rgba32>(64, 48, new Rgba32(30, 120, 200));
        var webp = CraftedWebp.File(CraftedWebp.Vp8X(0, 64, 48), CraftedWebp.Bitstream(image, lossless: false));

        using var loaded = _loader.Decode(webp, CancellationToken.None);

        Assert.Equal((64, 48), (loaded.Width, loaded.Height));
    }

    private ImageRejectedException Refusal(byte[] bytes) =>
        Assert.Throws<ImageRejectedException>(() => _loader.Decode(bytes, CancellationToken.None).Dispose());

    private static byte[] Jpeg()
    {
        using var image = new Image<Rgba32>(64, 48, new Rgba32(10, 200, 30));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    private static byte[] Insert(byte[] file, int at, byte[] inserted) => [.. file.AsSpan(0, at), .. inserted, .. file.AsSpan(at)];
}
