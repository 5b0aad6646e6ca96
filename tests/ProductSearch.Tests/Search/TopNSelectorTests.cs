using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class TopNSelectorTests
{
    [Fact]
    public void Offer_KeepsLowestScores_AndOnEqualScoreTheLowerRow()
    {
        var selector = new TopNSelector(2);
        selector.Offer(5, 1f);
        selector.Offer(3, 1f);
        selector.Offer(9, 0.5f);
        selector.Offer(1, 1f);

        Assert.Equal([1, 9], Enumerable.Range(0, selector.Count).Select(selector.RowAt).Order());
    }

    [Fact]
    public void OfferAllTo_MergesTwoSelectors()
    {
        var left = new TopNSelector(2);
        left.Offer(0, 3f);
        left.Offer(1, 1f);
        var right = new TopNSelector(2);
        right.Offer(2, 2f);
        var merged = new TopNSelector(2);

        left.OfferAllTo(ref merged);
        right.OfferAllTo(ref merged);

        Assert.Equal([1, 2], Enumerable.Range(0, merged.Count).Select(merged.RowAt).Order());
    }
}
