using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

public sealed class BackgroundTrimmerTests
{
    [Fact]
    public void TightTrimCropsAStudioShotToItsProductWithASmallMargin()
    {
        using var image = StudioShot(out var product);

        Assert.True(BackgroundTrimmer.Trim(image, BackgroundTrim.Tight, tolerance: 24, targetAspect: 1f));

        // 2 % of the product's larger side (50 px) on each side: 1 px.
        Assert.Equal(product.Width + 2, image.Width);
        Assert.Equal(product.Height + 2, image.Height);
    }

    [Fact]
    public void KeepAspectTrimPadsTheProductToTheInputShape()
    {
        using var image = StudioShot(out _);

        BackgroundTrimmer.Trim(image, BackgroundTrim.KeepAspect, tolerance: 24, targetAspect: 1f);

        Assert.Equal(image.Width, image.Height);
        Assert.Equal(new Rgba32(250, 250, 250), image[0, 0]);
    }

    [Fact]
    public void APhotoWithoutAUniformBorderIsLeftAlone()
    {
        using var image = new Image<Rgba32>(100, 80);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(x * 2), (byte)(y * 3), 90);
                }
            }
        });

        Assert.False(BackgroundTrimmer.Trim(image, BackgroundTrim.Tight, tolerance: 24, targetAspect: 1f));
        Assert.Equal((100, 80), (image.Width, image.Height));
    }

    [Fact]
    public void JpegLikeNoiseWithinTheToleranceCountsAsBackground()
    {
        using var image = StudioShot(out var product);
        image[3, 3] = new Rgba32(240, 245, 250);

        BackgroundTrimmer.Trim(image, BackgroundTrim.Tight, tolerance: 24, targetAspect: 1f);

        Assert.Equal(product.Width + 2, image.Width);
    }

    // A light grey studio backdrop with a dark 30 x 50 product off centre.
    private static Image<Rgba32> StudioShot(out Rectangle product)
    {
        var image = new Image<Rgba32>(120, 100, new Rgba32(250, 250, 250));
        var box = new Rectangle(20, 30, 30, 50);
        for (var y = box.Top; y < box.Bottom; y++)
        {
            for (var x = box.Left; x < box.Right; x++)
            {
                image[x, y] = new Rgba32(120, 20, 30);
            }
        }

        product = box;
        return image;
    }
}
