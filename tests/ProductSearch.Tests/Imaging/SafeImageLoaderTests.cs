using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Tests.Imaging;

/// <summary>ImageSharp 2.1 behaviour the loader relies on, checked on generated files.</summary>
public sealed class SafeImageLoaderTests
{
    private readonly SafeImageLoader _loader = new(Options.Create(new ImageLimits()));

    [Fact]
    public async Task EmptyBytesAreRejectedAsEmpty() =>
        Assert.Equal(ImageRejectionReason.Empty, await RejectionOf([]));

    [Fact]
    public async Task TextNamedLikeAJpegIsNotAnImage() =>
        Assert.Equal(ImageRejectionReason.NotAnImage, await RejectionOf(Encoding.UTF8.GetBytes("<html>not a photo</html>")));

    [Fact]
    public async Task GifIsAKnownButRefusedFormat()
    {
        using var gif = new Image<Rgba32>(8, 8);
        using var stream = new MemoryStream();
        await gif.SaveAsGifAsync(stream);

        Assert.Equal(ImageRejectionReason.UnsupportedFormat, await RejectionOf(stream.ToArray()));
    }

    [Fact]
    public async Task DeclaredDecompressionBombIsRefusedFromItsHeader() =>
        Assert.Equal(ImageRejectionReason.TooManyPixels, await RejectionOf(PngDeclaring(100_000, 100_000)));

    [Fact]
    public async Task ASideBeyondTheLimitIsRefusedEvenWithFewPixels() =>
        Assert.Equal(ImageRejectionReason.TooManyPixels, await RejectionOf(PngDeclaring(1, 60_000)));

    [Fact]
    public async Task ABodyOverTheByteLimitIsRefusedAfterReadingOnlyPastTheLimit()
    {
        var loader = new SafeImageLoader(Options.Create(new ImageLimits { MaxBytes = 1024 * 1024 }));
        var body = new NonSeekableStream(new byte[8 * 1024 * 1024]);

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => loader.LoadAsync(body, CancellationToken.None));

        Assert.Equal(ImageRejectionReason.TooLarge, e.Reason);
        Assert.True(body.Position <= (1024 * 1024) + 1, $"read {body.Position} bytes");
    }

    [Fact]
    public async Task TruncatedJpegIsRejectedRatherThanHalfDecoded()
    {
        // ImageSharp 2.1 decodes a truncated JPEG without error, leaving the missing rows transparent black.
        var jpeg = Jpeg(new Image<Rgba32>(320, 400, new Rgba32(10, 200, 30)));

        Assert.Equal(ImageRejectionReason.Truncated, await RejectionOf(jpeg[..(jpeg.Length / 2)]));
    }

    [Fact]
    public async Task JpegWhoseHeaderClaimsMorePixelsThanItsDataIsRejected()
    {
        var jpeg = Jpeg(new Image<Rgba32>(320, 400, new Rgba32(10, 200, 30)));
        var start = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(start + 5), 3000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(start + 7), 4000);

        Assert.Equal(ImageRejectionReason.Truncated, await RejectionOf(jpeg));
    }

    [Fact]
    public async Task SixteenBitPngLoadsWithItsColours()
    {
        using var deep = new Image<Rgba64>(40, 30, new Rgba64(65535, 0, 32768, 65535));
        using var stream = new MemoryStream();
        await deep.SaveAsPngAsync(stream, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });

        using var image = await _loader.LoadAsync(new MemoryStream(stream.ToArray()), CancellationToken.None);

        Assert.Equal(new Rgba32(255, 0, 128, 255), image[20, 15]);
    }

    [Fact]
    public async Task GreyJpegLoadsAsEqualChannels()
    {
        using var grey = new Image<L8>(40, 30, new L8(90));
        using var stream = new MemoryStream();
        await grey.SaveAsJpegAsync(stream, new JpegEncoder { ColorType = JpegColorType.Luminance });

        using var image = await _loader.LoadAsync(new MemoryStream(stream.ToArray()), CancellationToken.None);

        Assert.Equal(new Rgba32(90, 90, 90, 255), image[20, 15]);
    }

    [Fact]
    public async Task ExifOrientationIsAppliedSoThePhotoIsUpright()
    {
        using var upright = new Image<Rgba32>(30, 20, new Rgba32(0, 0, 255));
        upright[0, 0] = new Rgba32(255, 0, 0);
        using var sideways = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        sideways.Metadata.ExifProfile = new ExifProfile();
        sideways.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var stream = new MemoryStream();
        await sideways.SaveAsPngAsync(stream);

        using var image = await _loader.LoadAsync(new MemoryStream(stream.ToArray()), CancellationToken.None);

        Assert.Equal((30, 20), (image.Width, image.Height));
        Assert.Equal(new Rgba32(255, 0, 0), image[0, 0]);
    }

    private async Task<ImageRejectionReason> RejectionOf(byte[] bytes) =>
        (await Assert.ThrowsAsync<ImageRejectedException>(() => _loader.LoadAsync(new MemoryStream(bytes), CancellationToken.None))).Reason;

    private static byte[] Jpeg(Image<Rgba32> image)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream);
            return stream.ToArray();
        }
    }

    /// <summary>An RGB PNG with a valid IHDR declaring the size, and one zero row of data.</summary>
    private static byte[] PngDeclaring(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9]) = (8, 2);
        Chunk(output, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[1 + (3 * Math.Min(width, 4096))]);
        }

        Chunk(output, "IDAT", compressed.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(MemoryStream output, string type, byte[] data)
    {
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typeAndData));
        output.Write(buffer);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
