using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

public sealed class ThumbnailEncoderTests
{
    private static readonly ThumbnailEncoding Encoding = new(LongSide: 40, Quality: 95);

    [Fact]
    public void ACutOutLandsOnWhiteWithItsHalfTransparentEdgeBlended()
    {
        // Left third transparent, middle third half-transparent black, right third opaque red.
        using var image = Stripes(new Rgba32(0, 0, 0, 0), new Rgba32(0, 0, 0, 128), new Rgba32(255, 0, 0, 255));

        using var thumbnail = Image.Load<Rgba32>(ThumbnailEncoder.Encode(image, Encoding));

        AssertNear(new Rgba32(255, 255, 255), thumbnail[5, 10]);
        AssertNear(new Rgba32(127, 127, 127), thumbnail[20, 10]);
        AssertNear(new Rgba32(255, 0, 0), thumbnail[35, 10]);
    }

    [Fact]
    public void AnOpaquePhotoKeepsItsColoursAndShrinksToTheLongSide()
    {
        using var image = Stripes(new Rgba32(0, 0, 255), new Rgba32(0, 160, 0), new Rgba32(20, 20, 20));

        using var thumbnail = Image.Load<Rgba32>(ThumbnailEncoder.Encode(image, Encoding));

        Assert.Equal(new Size(40, 20), thumbnail.Size());
        AssertNear(new Rgba32(0, 0, 255), thumbnail[5, 10]);
        AssertNear(new Rgba32(0, 160, 0), thumbnail[20, 10]);
        AssertNear(new Rgba32(20, 20, 20), thumbnail[35, 10]);
    }

    // 240 x 120, three vertical stripes: shrunk to 40 x 20, each stripe's middle is well away from the blurred borders.
    private static Image<Rgba32> Stripes(Rgba32 left, Rgba32 middle, Rgba32 right)
    {
        var image = new Image<Rgba32>(240, 120);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                row[..80].Fill(left);
                row[80..160].Fill(middle);
                row[160..].Fill(right);
            }
        });
        return image;
    }

    // JPEG is lossy: a few levels either way.
    private static void AssertNear(Rgba32 expected, Rgba32 actual)
    {
        const int Tolerance = 6;
        Assert.True(
            Math.Abs(expected.R - actual.R) <= Tolerance && Math.Abs(expected.G - actual.G) <= Tolerance && Math.Abs(expected.B - actual.B) <= Tolerance,
            $"expected about {expected}, got {actual}");
    }
}
