using System.Numerics.Tensors;
using ProductSearch.Search;
using ProductSearch.Storage;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

/// <summary>A category's grouped answer among a mask's rows: one image per product, widened within the allowed rows only.</summary>
public sealed class MaskedCategorySearchTests
{
    private const int Dimension = 32;

    [Fact]
    public void GroupedAnswerIsTheNearestAllowedProducts()
    {
        var random = new Random(1);
        using var index = new CategoryIndex("tops", "m");
        var vectors = new Dictionary<string, float[]>();
        for (var i = 0; i < 600; i++)
        {
            var id = $"img-{i}";
            vectors[id] = NaiveNearest.RandomUnitVector(random, Dimension);
            index.Apply(id, Row(id, $"p-{i / 3}", vectors[id]));
        }

        static bool Allowed(string product) => int.Parse(product[2..], System.Globalization.CultureInfo.InvariantCulture) % 10 == 0;
        var answer = index.AnswerAmong(QuerySubject.Indexed("img-0"), new SimilarityQuery(4), QueryExpander.None, AllowedProducts(Allowed))!;

        // Brute force: every allowed image but the query's product, the best image of each product, the 4 nearest.
        var expected = vectors
            .Select(v => (Id: v.Key, Product: $"p-{int.Parse(v.Key[4..], System.Globalization.CultureInfo.InvariantCulture) / 3}", Distance: TensorPrimitives.Distance(vectors["img-0"], v.Value)))
            .Where(v => Allowed(v.Product) && v.Product != "p-0")
            .OrderBy(v => v.Distance)
            .DistinctBy(v => v.Product)
            .Take(4).ToList();
        Assert.Equal(expected.Select(v => v.Id), answer.Results.Select(r => r.Image.ImageId));
        Assert.Equal(60, answer.Searched);
    }

    [Fact]
    public void GroupingWidensWithinTheAllowedRowsUntilTheyAreExhausted()
    {
        var random = new Random(2);
        using var index = new CategoryIndex("tops", "m");
        var query = NaiveNearest.RandomUnitVector(random, Dimension);

        // 60 near-copies of the query from one product, then six products of one image each further off, then 300
        // images nearer than those six but not allowed: the first 24 candidates are all one product.
        for (var i = 0; i < 60; i++)
        {
            index.Apply($"near-{i}", Row($"near-{i}", "p-near", Towards(query, random, 0.05f)));
        }

        for (var i = 0; i < 6; i++)
        {
            index.Apply($"far-{i}", Row($"far-{i}", $"p-far-{i}", Towards(query, random, 3f)));
        }

        for (var i = 0; i < 300; i++)
        {
            index.Apply($"other-{i}", Row($"other-{i}", $"p-other-{i}", Towards(query, random, 0.5f)));
        }

        var allowed = AllowedProducts(product => !product.StartsWith("p-other", StringComparison.Ordinal));
        var four = index.SearchAmong(query, new SimilarityQuery(4), allowed);
        var all = index.SearchAmong(query, new SimilarityQuery(20), allowed);

        Assert.Equal(["p-near", .. four.Results.Skip(1).Select(r => r.Image.ProductId)], four.Results.Select(r => r.Image.ProductId));
        Assert.All(four.Results.Skip(1), r => Assert.StartsWith("p-far-", r.Image.ProductId, StringComparison.Ordinal));
        Assert.Equal(7, all.Results.Count);
        Assert.Equal(66, all.Searched);
    }

    [Fact]
    public void AMaskAllowingNothingAnswersNothing()
    {
        using var index = new CategoryIndex("tops", "m");
        var random = new Random(3);
        for (var i = 0; i < 50; i++)
        {
            index.Apply($"img-{i}", Row($"img-{i}", $"p-{i}", NaiveNearest.RandomUnitVector(random, Dimension)));
        }

        var answer = index.SearchAmong(NaiveNearest.RandomUnitVector(random, Dimension), new SimilarityQuery(4), rows => RowMask.None(rows.Count));

        Assert.Empty(answer.Results);
    }

    private static Func<CategoryRows, RowMask?> AllowedProducts(Func<string, bool> allowed) =>
        rows => RowMask.FromPredicate(rows.Count, row => allowed(rows[row].ProductId));

    private static float[] Towards(float[] query, Random random, float noise)
    {
        var row = NaiveNearest.RandomUnitVector(random, Dimension);
        TensorPrimitives.MultiplyAdd(row, noise, query, row);
        TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        return row;
    }

    private static ProductVector Row(string id, string product, float[] vector) =>
        new("tops", id, product, "u", "m", "e", DateTimeOffset.UnixEpoch, vector);
}
