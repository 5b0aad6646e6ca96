using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

public sealed class LinearResizeTests
{
    [Fact]
    public void HalvingAveragesEachTwoByTwoBlockAsOpenCvDoes()
    {
        // At exactly half size, INTER_LINEAR's sample point falls midway between two pixels in each direction.
        using var image = new Image<Rgba32>(4, 4);
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                image[x, y] = new Rgba32((byte)(40 * x), (byte)(40 * y), (byte)(10 * (x + y)), 255);
            }
        }

        LinearResize.Apply(image, new Size(2, 2), centerCrop: false);

        Assert.Equal(new Size(2, 2), image.Size());
        Assert.Equal(new Rgba32(20, 20, 10, 255), image[0, 0]);
        Assert.Equal(new Rgba32(100, 20, 30, 255), image[1, 0]);
        Assert.Equal(new Rgba32(20, 100, 30, 255), image[0, 1]);
        Assert.Equal(new Rgba32(100, 100, 50, 255), image[1, 1]);
    }

    [Fact]
    public void EnlargingClampsAtTheEdgesAndBlendsInBetween()
    {
        using var image = new Image<Rgba32>(2, 1);
        image[0, 0] = new Rgba32(0, 0, 0, 255);
        image[1, 0] = new Rgba32(200, 100, 40, 255);

        LinearResize.Apply(image, new Size(4, 1), centerCrop: false);

        // Sample points -0.25 (clamped to 0), 0.25, 0.75 and 1.25 (clamped to 1).
        Assert.Equal([0, 50, 150, 200], Enumerable.Range(0, 4).Select(x => (int)image[x, 0].R));
    }

    [Fact]
    public void CentreCropKeepsTheMiddleOfAWideImage()
    {
        // 30x10, left third red, middle green, right third blue: the centre square is the green one.
        using var image = new Image<Rgba32>(30, 10);
        for (var x = 0; x < 30; x++)
        {
            for (var y = 0; y < 10; y++)
            {
                image[x, y] = x < 10 ? new Rgba32(255, 0, 0, 255) : x < 20 ? new Rgba32(0, 255, 0, 255) : new Rgba32(0, 0, 255, 255);
            }
        }

        LinearResize.Apply(image, new Size(5, 5), centerCrop: true);

        Assert.Equal(new Size(5, 5), image.Size());
        Assert.All(Enumerable.Range(0, 5), x => Assert.Equal(new Rgba32(0, 255, 0, 255), image[x, 2]));
    }

    [Fact]
    public void TheDescriptorsSamplerDecidesWhetherFineDetailIsAveraged()
    {
        // Columns black, white, black repeating, shrunk three times: INTER_LINEAR samples each period's middle (white),
        // the antialiased triangle averages the period (dark grey).
        Image<Rgba32> Stripes()
        {
            var image = new Image<Rgba32>(672, 224);
            for (var x = 0; x < 672; x++)
            {
                for (var y = 0; y < 224; y++)
                {
                    image[x, y] = x % 3 == 1 ? new Rgba32(255, 255, 255, 255) : new Rgba32(0, 0, 0, 255);
                }
            }

            return image;
        }

        using var linear = Stripes();
        using var triangle = Stripes();
        new ImagePreprocessor(new ModelInput { Name = "input", Sampler = ResizeSampler.Linear }).Fit(linear);
        new ImagePreprocessor(new ModelInput { Name = "input" }).Fit(triangle);

        Assert.Equal(new Size(224, 224), linear.Size());
        Assert.Equal(new Size(224, 224), triangle.Size());
        Assert.Equal(255, linear[100, 100].R);
        Assert.InRange(triangle[100, 100].R, 40, 130);
    }
}
