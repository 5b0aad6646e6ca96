using System.Numerics.Tensors;
using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

public sealed class ColourHistogramTests
{
    private static readonly ColourOptions Rgb = new();
    private static readonly Rgba32 Red = new(200, 30, 40);
    private static readonly Rgba32 Blue = new(30, 60, 200);

    [Fact]
    public void TheSameShirtOnWhiteAndOnGreyGetsNearlyTheSameDescriptor()
    {
        var onWhite = Describe(Shirt(Red, new Rgba32(255, 255, 255)));
        var onGrey = Describe(Shirt(Red, new Rgba32(170, 170, 170)));

        // The backdrop is masked, so only the shirt's (JPEG-free, identical) pixels count.
        Assert.True(TensorPrimitives.Distance(onWhite, onGrey) < 0.1f, $"distance {TensorPrimitives.Distance(onWhite, onGrey)}");
    }

    [Fact]
    public void ARedAndABlueShirtAreFarApart()
    {
        var red = Describe(Shirt(Red, new Rgba32(255, 255, 255)));
        var blue = Describe(Shirt(Blue, new Rgba32(255, 255, 255)));

        // Unit vectors with no bin in common are sqrt(2) apart.
        Assert.True(TensorPrimitives.Distance(red, blue) > 1.3f, $"distance {TensorPrimitives.Distance(red, blue)}");
    }

    [Fact]
    public void APhotoWithNoBackgroundStillGetsAUnitDescriptorOfItsColour()
    {
        // A close-up: the product is the whole frame, so its border is "uniform" and would mask everything.
        using var image = new Image<Rgba32>(224, 224, Red);

        var descriptor = Describe(image);

        Assert.Equal(1f, TensorPrimitives.Norm(descriptor), 4);
        Assert.Equal(1f, descriptor.Max(), 4); // All of it in the red bin.
        var redOnWhite = Describe(Shirt(Red, new Rgba32(255, 255, 255)));
        Assert.True(TensorPrimitives.Distance(descriptor, redOnWhite) < 0.1f);
    }

    [Fact]
    public void ABusyBackgroundDegradesTheDescriptorWithoutLosingTheProduct()
    {
        using var busy = Shirt(Red, new Rgba32(0, 0, 0));
        var random = new Random(3);
        busy.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    if (row[x] != Red)
                    {
                        row[x] = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    }
                }
            }
        });

        var descriptor = Describe(busy);
        var red = Describe(Shirt(Red, new Rgba32(255, 255, 255)));
        var blue = Describe(Shirt(Blue, new Rgba32(255, 255, 255)));

        Assert.Equal(1f, TensorPrimitives.Norm(descriptor), 4);
        Assert.True(TensorPrimitives.Distance(descriptor, red) < TensorPrimitives.Distance(descriptor, blue));
    }

    [Fact]
    public void SpecksOfAnotherColourAreDroppedButACountedColourIsNot()
    {
        // 32 blue pixels on the shirt: 8 samples of about 4,350, under the default half a percent.
        var specked = Describe(Specked(32));
        var plain = Describe(Shirt(Red, new Rgba32(255, 255, 255)));
        var kept = new float[Rgb.Dimension];
        using (var image = Specked(32))
        {
            ColourHistogram.Compute(image, Rgb with { MinBinShare = 0 }, kept);
        }

        Assert.Equal(plain, specked);
        Assert.Equal(2, kept.Count(v => v > 0));

        // A patch of 1,600 pixels (about 9% of the shirt) is a colour of the product, and stays.
        Assert.Equal(2, Describe(Specked(1600)).Count(v => v > 0));
    }

    [Fact]
    public void AHistogramSpreadThinKeepsEveryBinOfItsLargestCount()
    {
        // One 8 x 8 tile per bin (the middle of each bin's colour range): every bin holds the same share, 1/215 of the
        // counted pixels (the near-white bin is studio light), below the floor, and none is dropped.
        using var image = new Image<Rgba32>(8 * 18, 8 * 12);
        for (var bin = 0; bin < 216; bin++)
        {
            var colour = new Rgba32((byte)((((bin / 36) * 2) + 1) * 255 / 12), (byte)(((((bin / 6) % 6) * 2) + 1) * 255 / 12), (byte)((((bin % 6) * 2) + 1) * 255 / 12));
            for (var y = 0; y < 8; y++)
            {
                for (var x = 0; x < 8; x++)
                {
                    image[((bin % 18) * 8) + x, ((bin / 18) * 8) + y] = colour;
                }
            }
        }

        var descriptor = new float[Rgb.Dimension];
        ColourHistogram.Compute(image, Rgb, descriptor);

        Assert.Equal(215, descriptor.Count(v => v > 0));
        Assert.Equal(1f, TensorPrimitives.Norm(descriptor), 4);
    }

    [Fact]
    public void HalvesLayoutKeepsTopAndBottomApart()
    {
        var halves = new ColourOptions { Layout = ColourLayout.Halves };
        using var redOverBlue = TwoTone(Red, Blue);
        using var blueOverRed = TwoTone(Blue, Red);

        var a = new float[halves.Dimension];
        var b = new float[halves.Dimension];
        ColourHistogram.Compute(redOverBlue, halves, a);
        ColourHistogram.Compute(blueOverRed, halves, b);

        Assert.Equal(2 * Rgb.Dimension, halves.Dimension);
        Assert.True(TensorPrimitives.Distance(a, b) > 1.3f);
    }

    [Fact]
    public void TheIdChangesWithEveryChoiceThatChangesTheValues()
    {
        string[] ids =
        [
            Rgb.Id, (Rgb with { Space = ColourSpace.Lab }).Id, (Rgb with { Bins = [4, 4, 4] }).Id,
            (Rgb with { Layout = ColourLayout.Halves }).Id, (Rgb with { BackgroundTolerance = 12 }).Id, (Rgb with { Version = 2 }).Id,
            (Rgb with { MinBinShare = 0 }).Id,
        ];

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void TheIdIsTheSameWhateverTheMachinesCulture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma would give rows indexed on one machine an id that queries on another never match.
            var decimalComma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            decimalComma.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = decimalComma;
            Assert.Equal("rgb6x6x6-whole-t24-min0.005-v1", Rgb.Id);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    private static float[] Describe(Image<Rgba32> image)
    {
        using (image)
        {
            var descriptor = new float[Rgb.Dimension];
            ColourHistogram.Compute(image, Rgb, descriptor);
            return descriptor;
        }
    }

    // The red shirt on white with a square of `pixels` blue pixels on its chest.
    private static Image<Rgba32> Specked(int pixels)
    {
        var image = Shirt(Red, new Rgba32(255, 255, 255));
        var side = (int)Math.Sqrt(pixels);
        for (var y = 0; y < pixels / side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                image[100 + x, 100 + y] = Blue;
            }
        }

        return image;
    }

    // A T-shirt-like silhouette in the middle of a 224 x 224 backdrop.
    private static Image<Rgba32> Shirt(Rgba32 colour, Rgba32 backdrop)
    {
        var image = new Image<Rgba32>(224, 224, backdrop);
        for (var y = 40; y < 190; y++)
        {
            var halfWidth = y < 80 ? 80 : 50;
            for (var x = 112 - halfWidth; x < 112 + halfWidth; x++)
            {
                image[x, y] = colour;
            }
        }

        return image;
    }

    private static Image<Rgba32> TwoTone(Rgba32 top, Rgba32 bottom)
    {
        var image = new Image<Rgba32>(224, 224, new Rgba32(255, 255, 255));
        for (var y = 30; y < 194; y++)
        {
            for (var x = 60; x < 164; x++)
            {
                image[x, y] = y < 112 ? top : bottom;
            }
        }

        return image;
    }
}
