using ProductSearch.Search;
using ProductSearch.Tooling.Evaluation;

namespace ProductSearch.Tests.Evaluation;

public sealed class RetrievalEvaluatorTests
{
    // One category, two products with two shots each, on the unit circle: a1 and a2 point the same way, b1 and b2 the
    // opposite, so every query's nearest other photo is its product's other shot.
    private static readonly ManifestEntry[] Entries =
    [
        new("shop/tees/a1.jpg", "tees", "a", null),
        new("shop/tees/a2.jpg", "tees", "a", null),
        new("shop/tees/b1.jpg", "tees", "b", null),
        new("shop/tees/b2.jpg", "tees", "b", null),
    ];

    private static readonly float[][] Separated = [[1, 0], [0.99f, 0.141f], [-1, 0], [-0.99f, 0.141f]];

    [Fact]
    public void WellSeparatedProductsScorePerfectRecallAndPrecision()
    {
        var figures = RetrievalEvaluator.Evaluate("t", Entries, Separated).Overall;

        Assert.Equal(1.0, figures.ProductRecallAt1);
        Assert.Equal(1.0, figures.ProductMeanAveragePrecision);
    }

    [Fact]
    public void ProductShotsRankedLastGiveTheReciprocalOfTheirRankAsAveragePrecision()
    {
        // a1 and a2 are each nearer to both b shots than to each other (their twin comes third: AP 1/3, R@1 0);
        // b1 and b2 are each other's nearest (AP 1, R@1 1).
        float[][] vectors = [[1, 0], [0, 1], [0.9f, 0.436f], [0.8f, 0.6f]];

        var figures = RetrievalEvaluator.Evaluate("t", Entries, vectors).Overall;

        Assert.Equal(0.5, figures.ProductRecallAt1, 12);
        Assert.Equal(((1.0 / 3) + (1.0 / 3) + 1 + 1) / 4, figures.ProductMeanAveragePrecision, 6);
    }

    [Fact]
    public void QueryExpansionKeepsAPerfectRankingPerfect()
    {
        var figures = RetrievalEvaluator.Evaluate("t", Entries, Separated, new QueryExpander(1, 3)).Overall;

        Assert.Equal(1.0, figures.ProductRecallAt1);
    }
}
