using System.Text;
using ProductSearch.Imaging;
using ProductSearch.IntegrationTests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// The uploads a shop or an attacker can send, generated here: broken bytes, decompression bombs, lying
/// headers, refused formats, and the legitimate but unusual encodings that must still index correctly.
/// </summary>
public static class HostileImageCorpus
{
    public const int TooLargeBytes = 25 * 1024 * 1024;

    private static readonly Lazy<IReadOnlyList<HostileInput>> Inputs = new(Build);

    public static IReadOnlyList<HostileInput> All => Inputs.Value;

    public static HostileInput Get(string name) => All.Single(i => i.Name == name);

    /// <summary>The product photo the odd encodings carry, as RGB bytes, so their vectors can be compared.</summary>
    public static Image<Rgba32> Upright() => ProductPhotoGenerator.Render(3, 1);

    /// <summary>The upright photo averaged over 8x8 blocks, exactly what the DC-only JPEGs hold, as a lossless PNG.</summary>
    public static byte[] BlockyReferencePng()
    {
        using var image = Upright();
        var rgb = Blocky(RgbBytes(image), image.Width, image.Height);
        using var reference = Image.LoadPixelData<Rgb24>(rgb, image.Width, image.Height);
        return Encode(reference, new PngEncoder());
    }

    /// <summary>The photo with transparent background, composited onto white the way the preprocessor must.</summary>
    public static byte[] TransparentReferencePng()
    {
        using var cutOut = CutOut();
        using var onWhite = new Image<Rgba32>(cutOut.Width, cutOut.Height, Color.White);
        onWhite.Mutate(x => x.DrawImage(cutOut, 1f));
        return Encode(onWhite, new PngEncoder());
    }

    public static byte[] UprightJpeg()
    {
        using var image = Upright();
        return Encode(image, new JpegEncoder { Quality = 95 });
    }

    private static List<HostileInput> Build()
    {
        using var upright = Upright();
        var (width, height) = (upright.Width, upright.Height);
        // Block means first: CMYK's product C' x K' does not commute with the encoder's averaging.
        var rgb = Blocky(RgbBytes(upright), width, height);
        var jpeg = UprightJpeg();
        return
        [
            new("zero-bytes.jpg", [], ImageRejectionReason.Empty, 400),
            new("text-named.jpg", "<html><body>not a photo</body></html>\n"u8.ToArray(), ImageRejectionReason.NotAnImage, 400),
            new("truncated.jpg", jpeg[..(jpeg.Length / 2)], ImageRejectionReason.Truncated, 400),
            new("bomb-100000x100000.png", CraftedPng.Declaring(100_000, 100_000), ImageRejectionReason.TooManyPixels, 400),
            new("sliver-1x60000.png", CraftedPng.Declaring(1, 60_000, rows: 60_000), ImageRejectionReason.TooManyPixels, 400),
            new("animation.gif", Gif(), ImageRejectionReason.UnsupportedFormat, 415),
            new("header-claims-60000x60000.jpg", WithDeclaredSize(jpeg, 60_000, 60_000), ImageRejectionReason.TooManyPixels, 400),
            new("header-claims-4000x3000.jpg", WithDeclaredSize(jpeg, 4_000, 3_000), ImageRejectionReason.Truncated, 400),
            new("too-large-25mb.jpg", Padded(jpeg, TooLargeBytes), ImageRejectionReason.TooLarge, 413),
            new("cmyk-adobe.jpg", DcOnlyJpegWriter.Write(DcOnlyJpegWriter.Kind.AdobeCmyk, width, height, DcOnlyJpegWriter.InvertedCmykPlanes(rgb, width * height)), null, 200),
            new("progressive.jpg", DcOnlyJpegWriter.Write(DcOnlyJpegWriter.Kind.ProgressiveYCbCr, width, height, DcOnlyJpegWriter.YCbCrPlanes(rgb, width * height)), null, 200),
            new("grey.jpg", GreyJpeg(upright), null, 200),
            new("rgba-16-bit.png", SixteenBitPng(upright), null, 200),
            new("transparent-cut-out.png", CutOutPng(), null, 200),
            new("exif-rotated.jpg", ExifRotatedJpeg(upright), null, 200),
            .. StructuralLies(upright),
            new("progressive-600-scans.jpg", DcOnlyJpegWriter.Write(DcOnlyJpegWriter.Kind.ProgressiveYCbCr, width, height, DcOnlyJpegWriter.YCbCrPlanes(rgb, width * height), acScanRounds: 200), ImageRejectionReason.Corrupt, 400),
        ];
    }

    /// <summary>
    /// Files whose structure declares more than they hold, each aimed at a decoder path that allocates or skips
    /// by a declared length; and real files of the same shapes that must still index.
    /// </summary>
    private static IEnumerable<HostileInput> StructuralLies(Image<Rgba32> upright)
    {
        const uint FarBeyond = 0x7FFF_FF00; // Just under 2 GB: a new byte[] of it is "Array dimensions exceeded".
        var (width, height) = (upright.Width, upright.Height);
        var lossy = CraftedWebp.Bitstream(upright, lossless: false);
        var lossless = CraftedWebp.Bitstream(upright, lossless: true);
        var small = new byte[16];
        CraftedWebp.Chunk Lying(string name) => new(name, small, FarBeyond);

        yield return new("webp-exif-length-lies.webp", CraftedWebp.File(CraftedWebp.Vp8X(CraftedWebp.ExifFlag, width, height), lossy, Lying("EXIF")), ImageRejectionReason.Corrupt, 400);
        yield return new("webp-icc-length-lies.webp", CraftedWebp.File(CraftedWebp.Vp8X(CraftedWebp.IccFlag, width, height), Lying("ICCP"), lossy), ImageRejectionReason.Corrupt, 400);
        yield return new("webp-xmp-length-lies.webp", CraftedWebp.File(CraftedWebp.Vp8X(CraftedWebp.XmpFlag, width, height), lossy, Lying("XMP ")), ImageRejectionReason.Corrupt, 400);
        yield return new("webp-vp8l-length-lies.webp", CraftedWebp.File(lossless with { Declared = FarBeyond }), ImageRejectionReason.Corrupt, 400);
        yield return new("webp-extended-vp8l-length-lies.webp", CraftedWebp.File(CraftedWebp.Vp8X(0, width, height), lossless with { Declared = FarBeyond }), ImageRejectionReason.Corrupt, 400);

        // Over 2 GB, the decoder's (int) cast makes the skip negative: it steps back and reads the same chunk forever.
        yield return new("webp-unknown-chunk-over-2gb.webp", CraftedWebp.File(CraftedWebp.Vp8X(0, width, height), lossy, new("ZZZZ", small, 0xFFFF_FFE8)), ImageRejectionReason.Corrupt, 400);
        yield return new("webp-canvas-16m-square.webp", CraftedWebp.File(CraftedWebp.Vp8X(0, 1 << 24, 1 << 24), lossy), ImageRejectionReason.TooManyPixels, 400);

        var png = Encode(upright, new PngEncoder());
        yield return new("png-text-length-lies.png", CraftedPng.WithChunk(png, "tEXt", "Comment\0hello"u8.ToArray(), FarBeyond), ImageRejectionReason.Corrupt, 400);

        // ImageMagick's legacy EXIF-in-text: the decoder sizes an array from the decimal length the text states.
        var rawExif = Encoding.ASCII.GetBytes("Raw profile type exif\0\nexif\n 2000000000\n4578696600004d4d002a00000008\n");
        yield return new("png-raw-exif-claims-2gb.png", CraftedPng.WithChunk(png, "tEXt", rawExif), null, 200);

        // A compressed text chunk that inflates 1000-fold, read four bytes at a time by the decoder.
        yield return new("png-ztxt-inflates-to-256mb.png", CraftedPng.WithChunk(png, "zTXt", [.. "Comment"u8, 0, 0, .. Deflated(256 * 1024 * 1024)]), null, 200);

        // The same shapes told truthfully: an extended WebP with EXIF (the encoder's own) and a lossless one.
        yield return new("webp-with-exif.webp", CraftedWebp.File(CraftedWebp.Vp8X(CraftedWebp.ExifFlag, width, height), lossy, new("EXIF", ExifBytes())), null, 200);
        yield return new("lossless.webp", CraftedWebp.File(lossless), null, 200);
    }

    private static byte[] Deflated(int zeros)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            var block = new byte[1024 * 1024];
            for (var written = 0; written < zeros; written += block.Length)
            {
                zlib.Write(block);
            }
        }

        return output.ToArray();
    }

    private static byte[] ExifBytes()
    {
        var profile = new ExifProfile();
        profile.SetValue(ExifTag.Software, "crafted");
        return profile.ToByteArray();
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte[] RgbBytes(Image<Rgba32> image)
    {
        using var rgb = image.CloneAs<Rgb24>();
        var bytes = new byte[image.Width * image.Height * 3];
        rgb.CopyPixelDataTo(bytes);
        return bytes;
    }

    private static byte[] Blocky(byte[] rgb, int width, int height)
    {
        var result = new byte[rgb.Length];
        for (var by = 0; by < height; by += 8)
        {
            for (var bx = 0; bx < width; bx += 8)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var y = by; y < by + 8; y++)
                    {
                        for (var x = bx; x < bx + 8; x++)
                        {
                            sum += rgb[(((Math.Min(y, height - 1) * width) + Math.Min(x, width - 1)) * 3) + c];
                        }
                    }

                    for (var y = by; y < Math.Min(by + 8, height); y++)
                    {
                        for (var x = bx; x < Math.Min(bx + 8, width); x++)
                        {
                            result[(((y * width) + x) * 3) + c] = (byte)Math.Round(sum / 64.0);
                        }
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Patches the baseline frame header (SOF0) so it declares another size than the scan holds.</summary>
    private static byte[] WithDeclaredSize(byte[] jpeg, int width, int height)
    {
        var copy = (byte[])jpeg.Clone();
        for (var i = 2; i < copy.Length - 9; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] == 0xC0)
            {
                (copy[i + 5], copy[i + 6]) = ((byte)(height >> 8), (byte)height);
                (copy[i + 7], copy[i + 8]) = ((byte)(width >> 8), (byte)width);
                return copy;
            }
        }

        throw new InvalidOperationException("The JPEG has no baseline frame header.");
    }

    /// <summary>A real JPEG followed by noise up to <paramref name="size"/>: only its length is wrong.</summary>
    private static byte[] Padded(byte[] jpeg, int size)
    {
        var bytes = new byte[size];
        new Random(25).NextBytes(bytes);
        jpeg.CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] Gif()
    {
        using var image = new Image<Rgba32>(64, 64, Color.OrangeRed);
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        return stream.ToArray();
    }

    private static byte[] GreyJpeg(Image<Rgba32> upright)
    {
        using var grey = upright.CloneAs<L8>();
        return Encode(grey, new JpegEncoder { Quality = 90, ColorType = JpegColorType.Luminance });
    }

    private static byte[] SixteenBitPng(Image<Rgba32> upright)
    {
        using var deep = upright.CloneAs<Rgba64>();
        return Encode(deep, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });
    }

    private static Image<Rgba32> CutOut()
    {
        // The generator's background is light and near-uniform; make it fully transparent (and black, so a
        // decoder that ignored alpha would see a very different picture).
        var image = Upright();
        var corner = image[0, 0];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    if (Math.Abs(pixel.R - corner.R) + Math.Abs(pixel.G - corner.G) + Math.Abs(pixel.B - corner.B) < 40)
                    {
                        pixel = new Rgba32(0, 0, 0, 0);
                    }
                }
            }
        });
        return image;
    }

    private static byte[] CutOutPng()
    {
        using var cutOut = CutOut();
        return Encode(cutOut, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
    }

    /// <summary>
    /// The pixels stored rotated 90 degrees anticlockwise with EXIF Orientation 6 ("rotate 90 clockwise to
    /// display"), as a phone held sideways writes them: displayed, it is the upright photo.
    /// </summary>
    private static byte[] ExifRotatedJpeg(Image<Rgba32> upright)
    {
        using var sideways = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        sideways.Metadata.ExifProfile = new ExifProfile();
        sideways.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        return Encode(sideways, new JpegEncoder { Quality = 95 });
    }
}
