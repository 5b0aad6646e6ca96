using ProductSearch.Features;

namespace ProductSearch.Tests.Features;

public sealed class RmacRegionTests
{
    [Fact]
    public void ASquareSevenBySevenMapHasTheWholeMapAndOneFourAndNineRegions()
    {
        var regions = RmacRegion.Grid(7, 7, 3).ToList();

        Assert.Equal(1 + 1 + 4 + 9, regions.Count);
        Assert.Equal(new RmacRegion(0, 0, 7, 7, 7), regions[0]);
        Assert.Equal([4, 4, 4, 4], regions.Skip(2).Take(4).Select(r => r.Height));
        Assert.Equal([3, 3, 3, 3, 3, 3, 3, 3, 3], regions.Skip(6).Select(r => r.Height));
    }

    [Theory]
    [InlineData(7, 10)]
    [InlineData(14, 9)]
    [InlineData(2, 2)]
    public void EveryRegionLiesInsideTheMap(int height, int width)
    {
        foreach (var region in RmacRegion.Grid(height, width, 3))
        {
            Assert.InRange(region.Top, 0, height - region.Height);
            Assert.InRange(region.Left, 0, width - region.Width);
            Assert.True(region.Height > 0 && region.Width > 0);
        }
    }

    [Fact]
    public void AWideMapGetsMoreRegionsAlongItsLongSide()
    {
        var square = RmacRegion.Grid(7, 7, 3).Count();
        var wide = RmacRegion.Grid(7, 14, 3).Count();

        Assert.True(wide > square);
    }
}
