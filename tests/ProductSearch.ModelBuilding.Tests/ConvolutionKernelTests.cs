namespace ProductSearch.ModelBuilding.Tests;

public sealed class ConvolutionKernelTests
{
    [Fact]
    public void HwioToOihwMovesEveryElementToItsTransposedIndex()
    {
        const int H = 3, W = 2, I = 4, O = 5;
        var hwio = Enumerable.Range(0, H * W * I * O).Select(i => (float)i).ToArray();

        var oihw = ConvolutionKernel.HwioToOihw(hwio, H, W, I, O);

        for (var h = 0; h < H; h++)
        {
            for (var w = 0; w < W; w++)
            {
                for (var i = 0; i < I; i++)
                {
                    for (var o = 0; o < O; o++)
                    {
                        Assert.Equal(hwio[(((h * W) + w) * I + i) * O + o], oihw[(((o * I) + i) * H + h) * W + w]);
                    }
                }
            }
        }
    }
}
