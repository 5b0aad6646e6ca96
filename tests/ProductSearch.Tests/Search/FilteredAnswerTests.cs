using ProductSearch.Products;
using ProductSearch.Search;
using ProductSearch.Search.Filtering;
using ProductSearch.Storage;

namespace ProductSearch.Tests.Search;

/// <summary>A filter's mask is kept between queries; it must never outlive the row order it was made for.</summary>
public sealed class FilteredAnswerTests
{
    [Fact]
    public void TheSameContentInAnotherRowOrderIsFilteredByItsOwnRows()
    {
        using var index = new CategoryIndex("tops", "m");
        index.Apply("a.jpg", Row("a.jpg", "a", [1f, 0f, 0f]));
        index.Apply("b.jpg", Row("b.jpg", "b", [0.8f, 0.6f, 0f]));
        index.Apply("c.jpg", Row("c.jpg", "c", [0f, 0f, 1f]));
        index.ApplyProduct("c", new ProductAttributes { Labels = new Dictionary<string, string> { ["color"] = "red" } });
        var red = new SimilarityQuery(1) { Filter = ProductFilter.Parse("color = red") };
        Assert.Equal(["c.jpg"], Ids(index.Answer(QuerySubject.Indexed("b.jpg"), red, QueryExpander.None)!));

        // a.jpg out and back: the same content, so the same version, but c.jpg now fills a.jpg's old row.
        var version = index.Version;
        index.Apply("a.jpg", null);
        index.Apply("a.jpg", Row("a.jpg", "a", [1f, 0f, 0f]));
        Assert.Equal(version, index.Version);

        Assert.Equal(["c.jpg"], Ids(index.Answer(QuerySubject.Indexed("b.jpg"), red, QueryExpander.None)!));
    }

    private static IEnumerable<string> Ids(CategoryAnswer answer) => answer.Results.Select(r => r.Image.ImageId);

    private static ProductVector Row(string id, string product, float[] vector)
    {
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return new("tops", id, product, "u", "m", "e", DateTimeOffset.UnixEpoch, [.. vector.Select(v => v / norm)]);
    }
}
