using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public sealed class RowMaskTests
{
    [Fact]
    public void FromProductsAllowsTheRowsOfMatchingProducts()
    {
        // Rows 0..129 (three words, the last partial) of products 0..4 in turn; products 1 and 3 match; -1 is no product.
        var productOfRow = Enumerable.Range(0, 130).Select(row => row == 129 ? -1 : row % 5).ToArray();
        bool[] matches = [false, true, false, true, false];

        var mask = RowMask.FromProducts(productOfRow, matches);

        Assert.Equal(130, mask.Rows);
        Assert.Equal(Enumerable.Range(0, 130).Count(row => row != 129 && row % 5 is 1 or 3), mask.Count);
        Assert.All(Enumerable.Range(0, 130), row => Assert.Equal(row != 129 && row % 5 is 1 or 3, mask.Contains(row)));
        Assert.False(mask.Contains(130));
        Assert.False(mask.Contains(-1));
    }

    [Fact]
    public void FromPredicateAndFromRowsAgree()
    {
        var byPredicate = RowMask.FromPredicate(200, row => row % 64 == 63);
        var byRows = RowMask.FromRows(200, [63, 127, 191]);

        Assert.Equal(3, byPredicate.Count);
        Assert.Equal(byRows.Words.ToArray(), byPredicate.Words.ToArray());
    }

    [Fact]
    public void NoneAllowsNothing()
    {
        var mask = RowMask.None(70);

        Assert.Equal(0, mask.Count);
        Assert.Equal(70, mask.Rows);
        Assert.DoesNotContain(Enumerable.Range(0, 70), mask.Contains);
    }
}
