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

    private static float[] Pool(ModelOutput output)
    {
        var pooling = new FeaturePooling(output, Shape);
        var vector = new float[pooling.Dimension];
        pooling.Pool(Map, [1, 2, 2, 3], vector);
        return vector;
    }
}
