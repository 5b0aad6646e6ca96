using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

public sealed class ImagePreprocessorTests
{
    private static readonly ModelInput CaffeBgr = new()
    {
        Name = "input",
        ChannelOrder = ChannelOrder.Bgr,
        Mean = [103.939f, 116.779f, 123.68f],
    };

    [Fact]
    public void CaffeModeGivesBgrMinusMeansWithoutScaling()
    {
        using var image = Gradient(224, 224);
        var tensor = new float[3 * 224 * 224];

        new ImagePreprocessor(CaffeBgr).Preprocess(image, tensor);

        foreach (var (x, y) in new[] { (0, 0), (17, 3), (223, 223), (100, 200) })
        {
            var p = image[x, y];
            var plane = 224 * 224;
            var at = (y * 224) + x;
            Assert.Equal(p.B - 103.939f, tensor[at], 3);
            Assert.Equal(p.G - 116.779f, tensor[plane + at], 3);
            Assert.Equal(p.R - 123.68f, tensor[(2 * plane) + at], 3);
        }
    }

    [Fact]
    public void TorchvisionStyleScalesThenNormalisesPerChannelInRgbOrder()
    {
        var input = new ModelInput
        {
            Name = "input",
            Layout = TensorLayout.Nhwc,
            Scale = 1 / 255f,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
        };
        using var image = Gradient(224, 224);
        var tensor = new float[3 * 224 * 224];

        new ImagePreprocessor(input).Preprocess(image, tensor);

        var p = image[50, 60];
        var at = ((60 * 224) + 50) * 3;
        Assert.Equal(((p.R / 255f) - 0.485f) / 0.229f, tensor[at], 4);
        Assert.Equal(((p.G / 255f) - 0.456f) / 0.224f, tensor[at + 1], 4);
        Assert.Equal(((p.B / 255f) - 0.406f) / 0.225f, tensor[at + 2], 4);
    }

    [Fact]
    public void ShrinkingBlendsOnlyVisibleColour()
    {
        // Left half fully transparent (its hidden colour red), right half opaque blue: where they meet, the resize must
        // weigh colours by alpha, or the invisible red bleeds into the edge.
        using var image = new Image<Rgba32>(448, 448);
        for (var y = 0; y < 448; y++)
        {
            for (var x = 0; x < 448; x++)
            {
                image[x, y] = x < 224 ? new Rgba32(255, 0, 0, 0) : new Rgba32(0, 0, 255, 255);
            }
        }

        new ImagePreprocessor(new ModelInput { Name = "input" }).Fit(image);

        var edge = image[112, 100];
        Assert.InRange(edge.A, 1, 254);
        Assert.Equal(0, edge.R);
        Assert.Equal(255, edge.B);
    }

    [Fact]
    public void TransparentPixelsAreCompositedOntoWhite()
    {
        using var image = new Image<Rgba32>(224, 224, new Rgba32(10, 20, 30, 0));
        image[5, 5] = new Rgba32(200, 100, 50, 255);
        image[6, 5] = new Rgba32(0, 0, 0, 128);
        var tensor = new float[3 * 224 * 224];

        new ImagePreprocessor(CaffeBgr with { Mean = [0, 0, 0] }).Preprocess(image, tensor);

        Assert.Equal(255f, tensor[0], 3);
        Assert.Equal(50f, tensor[(5 * 224) + 5], 3);
        Assert.Equal(255f * (1 - (128 / 255f)), tensor[(5 * 224) + 6], 2);
    }

    [Fact]
    public void SquashKeepsTheWholeImageWhileCentreCropCutsTheSides()
    {
        // Left quarter red, middle half green, right quarter blue.
        using var wide = new Image<Rgba32>(896, 224);
        for (var x = 0; x < 896; x++)
        {
            var colour = x < 224 ? new Rgba32(255, 0, 0) : x < 672 ? new Rgba32(0, 255, 0) : new Rgba32(0, 0, 255);
            for (var y = 0; y < 224; y++)
            {
                wide[x, y] = colour;
            }
        }

        var rgb = CaffeBgr with { ChannelOrder = ChannelOrder.Rgb, Mean = [0, 0, 0] };
        var squashed = new float[3 * 224 * 224];
        var cropped = new float[3 * 224 * 224];
        new ImagePreprocessor(rgb).Preprocess(wide.Clone(), squashed);
        new ImagePreprocessor(rgb with { Resize = InputResize.CenterCrop }).Preprocess(wide.Clone(), cropped);

        var row = 112 * 224;
        Assert.Equal(255f, squashed[row + 2], 0); // red survives at the left edge
        Assert.Equal(255f, squashed[(2 * 224 * 224) + row + 221], 0); // blue at the right edge
        Assert.Equal(255f, cropped[(224 * 224) + row + 2], 0); // the crop is all green
        Assert.Equal(255f, cropped[(224 * 224) + row + 221], 0);
    }

    private static Image<Rgba32> Gradient(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgba32((byte)x, (byte)y, (byte)((x * 7) + (y * 3)), 255);
            }
        }

        return image;
    }
}
