using ProductSearch.Products;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Tests.Search;

/// <summary>Attributes held once per product in a category's rows: ordinals per row, answers, and the version.</summary>
public sealed class CategoryProductsTests
{
    private static readonly ProductAttributes Blue = new() { Title = "Blue tee", Labels = new Dictionary<string, string> { ["color"] = "blue" } };

    private static ProductVector Image(string imageId, string productId, float x) =>
        new("tops", imageId, productId, "u/" + imageId, "m", "e", DateTimeOffset.UnixEpoch, Unit([1f, x, 0f]));

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    [Fact]
    public void EveryRowMapsToItsProductsOrdinalThroughAddsRemovesAndMoves()
    {
        var rows = new CategoryRows("tops", "m", default, null);
        rows.ApplyProduct("p-b", Blue);
        rows.Apply("a1.jpg", Image("a1.jpg", "p-a", 0.1f));
        rows.Apply("b1.jpg", Image("b1.jpg", "p-b", 0.2f));
        rows.Apply("a2.jpg", Image("a2.jpg", "p-a", 0.3f));

        rows.Apply("a1.jpg", null); // the last row moves into row 0

        for (var row = 0; row < rows.Count; row++)
        {
            Assert.Equal(rows[row].ProductId, rows.ProductIdAt(rows.ProductOrdinalOf(row)));
            Assert.Equal(rows.ProductOrdinalOf(row), rows.ProductOrdinals[row]);
        }

        Assert.Equal(Blue, rows.ProductOf(rows.TryGetRow("b1.jpg", out var b) ? b : -1));
        Assert.Null(rows.ProductOf(rows.TryGetRow("a2.jpg", out var a) ? a : -1));
        Assert.Equal(rows.ProductCount, rows.ProductAttributesByOrdinal.Count);
    }

    [Fact]
    public void AnswersCarryTheProductsAttributes()
    {
        using var index = new CategoryIndex("tops", "m");
        index.Apply("a1.jpg", Image("a1.jpg", "p-a", 0.1f));
        index.Apply("b1.jpg", Image("b1.jpg", "p-b", 0.2f));
        index.ApplyProduct("p-b", Blue);

        var results = index.Search(Unit([1f, 0.2f, 0f]), new SimilarityQuery(2)).Results;

        Assert.Equal(Blue, results.Single(r => r.Image.ProductId == "p-b").Product);
        Assert.Null(results.Single(r => r.Image.ProductId == "p-a").Product);
    }

    [Fact]
    public void TheVersionFollowsAttributesAndIsTheSameHoweverTheyArrived()
    {
        var products = new Dictionary<string, ProductAttributes> { ["p-b"] = Blue };
        using var applied = new CategoryIndex("tops", "m");
        applied.Apply("b1.jpg", Image("b1.jpg", "p-b", 0.2f));
        var without = applied.Version;

        applied.ApplyProduct("p-b", Blue);
        var with = applied.Version;
        applied.ApplyProduct("p-b", Blue with { Title = "Navy tee" });
        var changed = applied.Version;
        applied.ApplyProduct("p-b", Blue);

        using var loaded = new CategoryIndex("tops", "m");
        loaded.Apply("b1.jpg", Image("b1.jpg", "p-b", 0.2f));
        var snapshot = new CategoryMatrix(null, [], 0, products);
        loaded.Load(snapshot with { Images = [] });
        loaded.Apply("b1.jpg", Image("b1.jpg", "p-b", 0.2f));

        Assert.NotEqual(without, with);
        Assert.NotEqual(with, changed);
        Assert.Equal(with, applied.Version);
        Assert.Equal(with, loaded.Version);
        applied.ApplyProduct("p-b", null);
        Assert.Equal(without, applied.Version);
    }
}
