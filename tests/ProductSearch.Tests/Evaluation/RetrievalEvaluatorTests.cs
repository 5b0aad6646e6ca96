using ProductSearch.Search;
using ProductSearch.Storage;
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

    private static readonly QueryExpander NoExpansion = new(0, 3);

    [Fact]
    public void WellSeparatedProductsScorePerfectRecallAndPrecision()
    {
        using var catalog = Catalog(Entries, Separated);

        var figures = RetrievalEvaluator.Evaluate("t", catalog, 0, NoExpansion).Overall;

        Assert.Equal(1.0, figures.ProductRecallAt1);
        Assert.Equal(1.0, figures.ProductMeanAveragePrecision);
    }

    [Fact]
    public void ProductShotsRankedLastGiveTheReciprocalOfTheirRankAsAveragePrecision()
    {
        // a1 and a2 are each nearer to both b shots than to each other (their twin comes third: AP 1/3, R@1 0);
        // b1 and b2 are each other's nearest (AP 1, R@1 1).
        using var catalog = Catalog(Entries, [[1, 0], [0, 1], [0.9f, 0.436f], [0.8f, 0.6f]]);

        var figures = RetrievalEvaluator.Evaluate("t", catalog, 0, NoExpansion).Overall;

        Assert.Equal(0.5, figures.ProductRecallAt1, 12);
        Assert.Equal(((1.0 / 3) + (1.0 / 3) + 1 + 1) / 4, figures.ProductMeanAveragePrecision, 6);
    }

    [Fact]
    public void QueryExpansionKeepsAPerfectRankingPerfect()
    {
        using var catalog = Catalog(Entries, Separated);

        var figures = RetrievalEvaluator.Evaluate("t", catalog, 0, new QueryExpander(1, 3)).Overall;

        Assert.Equal(1.0, figures.ProductRecallAt1);
    }

    [Fact]
    public void ColourIsTheQueryWeightAsTheAppAppliesIt()
    {
        // By shape alone a1's nearest is b1; by colour it is a2 (the same colour): the weight must change the ranking.
        float[][] shapes = [[1, 0], [0, 1], [0.95f, 0.312f], [-1, 0]];
        float[][] colours = [[1, 0], [1, 0], [0, 1], [0, 1]];
        using var catalog = Catalog(Entries, shapes, colours);

        var shapeOnly = RetrievalEvaluator.Evaluate("t", catalog, 0, NoExpansion).ByCategory["tees"];
        var withColour = RetrievalEvaluator.Evaluate("t", catalog, 2, NoExpansion).ByCategory["tees"];

        Assert.True(withColour.ProductRecallAt1 > shapeOnly.ProductRecallAt1, $"{shapeOnly.ProductRecallAt1} -> {withColour.ProductRecallAt1}");
    }

    [Fact]
    public void CategoryPrecisionIsReportedPerSubsetTheManifestNames()
    {
        // Two shops' folders, two categories: the subsets come from the paths, whatever they are called.
        ManifestEntry[] entries =
        [
            new("north/tees/t1.jpg", "tees", "t1", null), new("north/tees/t2.jpg", "tees", "t2", null),
            new("south/mugs/m1.jpg", "mugs", "m1", null), new("south/mugs/m2.jpg", "mugs", "m2", null),
            new("south/mugs/m3.jpg", "mugs", "m3", null),
        ];
        float[][] vectors = [[1, 0], [0.99f, 0.141f], [0, 1], [0.141f, 0.99f], [-0.141f, 0.99f]];
        using var catalog = Catalog(entries, vectors);

        var figures = RetrievalEvaluator.Evaluate("t", catalog, 0, NoExpansion).Overall;

        Assert.Equal(["north", "south"], figures.CategoryPrecisionAt4.Keys.Order());
        // Of a tee's 4 nearest other photos only 1 is a tee; of a mug's, 2 are mugs.
        Assert.Equal(0.25, figures.CategoryPrecisionAt4["north"], 12);
        Assert.Equal(0.5, figures.CategoryPrecisionAt4["south"], 12);
    }

    private static EvaluatedCatalog Catalog(IReadOnlyList<ManifestEntry> entries, float[][] vectors, float[][]? colours = null)
    {
        var rows = entries.Select((e, i) => new ProductVector(
            e.Category, e.ImageId, e.ProductId, "", "test-model", "etag", DateTimeOffset.UnixEpoch, vectors[i], colours is null ? null : "c1", colours?[i])).ToArray();
        return new EvaluatedCatalog("t", entries, rows, colours is null ? null : new ColourColumns("c1", colours[0].Length));
    }
}
