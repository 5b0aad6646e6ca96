using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

/// <summary>The check that every pixel of a decoded JPEG was written: one pixel left unwritten anywhere is enough.</summary>
public sealed class ImageCompletenessTests
{
    [Theory]
    [InlineData(1003, 7, 0, 0)] // the first pixel
    [InlineData(1003, 7, 1002, 3)] // the last of a row, in the part a vector does not cover
    [InlineData(1003, 7, 517, 6)] // inside a vector, in the last row
    [InlineData(5, 3, 2, 1)] // a row shorter than one vector
    public void OneUnwrittenPixelAnywhereMarksTheJpegTruncated(int width, int height, int x, int y)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(250, 250, 250));
        ImageCompleteness.EnsureFullyDecoded(JpegFormat.Instance, image);

        image[x, y] = default;

        var rejected = Assert.Throws<ImageRejectedException>(() => ImageCompleteness.EnsureFullyDecoded(JpegFormat.Instance, image));
        Assert.Equal(ImageRejectionReason.Truncated, rejected.Reason);
    }
}
