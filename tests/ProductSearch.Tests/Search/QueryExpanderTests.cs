using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Tests.Search;

public sealed class QueryExpanderTests : IDisposable
{
    private readonly CategoryIndex _index = new("tees", "m");

    public QueryExpanderTests()
    {
        Add("query.jpg", [1, 0]);
        Add("near.jpg", [0.8f, 0.6f]);
        Add("far.jpg", [-1, 0]);
    }

    [Fact]
    public void WithNoNeighboursTheQueryIsReturnedUnchanged()
    {
        float[] query = [1, 0];

        Assert.Same(query, new QueryExpander(0, 3).Expand(_index, query, "query.jpg"));
    }

    [Fact]
    public void TheNearestOtherImageIsFoldedInAndTheQueryImageItselfIsNot()
    {
        var expanded = new QueryExpander(1, 0).Expand(_index, [1, 0], "query.jpg");

        // (1,0) + (0.8,0.6), normalised: near.jpg was used; query.jpg (its own vector) would have kept y at 0.
        Assert.Equal(1.8f / MathF.Sqrt(3.6f), expanded[0], 5);
        Assert.Equal(0.6f / MathF.Sqrt(3.6f), expanded[1], 5);
    }

    public void Dispose() => _index.Dispose();

    private void Add(string id, float[] vector) =>
        _index.Apply(id, new ProductVector("tees", id, id, "http://x/" + id, "m", "\"e\"", DateTimeOffset.UnixEpoch, vector));
}
