using ProductSearch.Features;

namespace ProductSearch.Tests.Features;

public sealed class FeaturePoolingTests
{
    // A 1x2x2x3 map (C=2, H=2, W=3): channel 0 holds 0..5, channel 1 holds 10..15.
    private static readonly float[] Map = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15];
    private static readonly int[] Shape = [1, 2, 2, 3];

    [Theory]
    [InlineData(Pooling.Avg, new float[] { 2.5f, 12.5f })]
    [InlineData(Pooling.Max, new float[] { 5f, 15f })]
    public void GlobalPoolingReducesEachChannel(Pooling pooling, float[] expected)
    {
        var vector = Pool(new ModelOutput { Name = "o", Pooling = pooling });

        Assert.Equal(expected, vector);
    }

    [Fact]
    public void FlattenInHwcOrderMatchesKerasFlatten()
    {
        var vector = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Flatten, FlattenOrder = FlattenOrder.Hwc });

        Assert.Equal(new float[] { 0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15 }, vector);
    }

    [Fact]
    public void FlattenInChwOrderKeepsTheOnnxLayout()
    {
        var vector = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Flatten });

        Assert.Equal(Map, vector);
    }

    [Fact]
    public void GemWithPOneIsTheAverage()
    {
        var vector = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Gem, GemP = 1 });

        Assert.Equal(2.5f, vector[0], 4);
        Assert.Equal(12.5f, vector[1], 4);
    }

    [Fact]
    public void GemWithPThreeIsTheCubeRootOfTheMeanCube()
    {
        var vector = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Gem, GemP = 3 });

        // Channel 0: (0 + 1 + 8 + 27 + 64 + 125) / 6 = 37.5; 0 counts as the epsilon floor, which is negligible.
        Assert.Equal(MathF.Cbrt(37.5f), vector[0], 4);
    }

    [Fact]
    public void GemGrowsFromTheAverageTowardsTheMaximumAsPGrows()
    {
        var p3 = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Gem, GemP = 3 })[1];
        var p20 = Pool(new ModelOutput { Name = "o", Pooling = Pooling.Gem, GemP = 20 })[1];

        Assert.True(12.5f < p3 && p3 < p20 && p20 < 15f, $"GeM p=3 {p3}, p=20 {p20}");
    }

    [Fact]
    public void RmacOfAUniformMapIsTheSumOfItsUnitRegionVectors()
    {
        // Every region of a uniform map has the same max vector, so R-MAC is (regions) x that vector normalised.
        float[] map = [.. Enumerable.Repeat(3f, 49), .. Enumerable.Repeat(4f, 49)];
        var pooling = new FeaturePooling(new ModelOutput { Name = "o", Pooling = Pooling.Rmac }, [1, 2, 7, 7]);
        var vector = new float[2];

        pooling.Pool(map, [1, 2, 7, 7], vector);

        var regions = RmacRegion.Grid(7, 7, 3).Count();
        Assert.Equal(regions * 0.6f, vector[0], 4);
        Assert.Equal(regions * 0.8f, vector[1], 4);
    }

    [Fact]
    public void RmacFindsAProductInOneCornerThroughItsRegions()
    {
        // Channel 1 fires only in the top-left corner; its regional maxima still count in several regions.
        var map = new float[2 * 49];
        Array.Fill(map, 1f, 0, 49);
        map[49] = 5f;
        var pooling = new FeaturePooling(new ModelOutput { Name = "o", Pooling = Pooling.Rmac }, [1, 2, 7, 7]);
        var vector = new float[2];

        pooling.Pool(map, [1, 2, 7, 7], vector);

        Assert.True(vector[1] > 0f);
        Assert.True(vector[0] > vector[1]);
    }

    private static float[] Pool(ModelOutput output)
    {
        var pooling = new FeaturePooling(output, Shape);
        var vector = new float[pooling.Dimension];
        pooling.Pool(Map, [1, 2, 2, 3], vector);
        return vector;
    }
}
