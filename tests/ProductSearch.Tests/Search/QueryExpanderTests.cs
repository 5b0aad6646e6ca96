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

        Assert.Same(query, new QueryExpander(0, 3).Fold(query, [], 2));
    }

    [Fact]
    public void OnlyTheShapeBlockIsFoldedAndBothBlocksStayUnitLength()
    {
        // Shape (1, 0), colour (1, 0); the neighbour's colour (0, 1) must not move the query's.
        var expanded = new QueryExpander(1, 0).Fold([1, 0, 1, 0], [[0, 1, 0, 1]], 2);

        Assert.Equal(1 / MathF.Sqrt(2), expanded[0], 5);
        Assert.Equal(1 / MathF.Sqrt(2), expanded[1], 5);
        Assert.Equal([1f, 0f], expanded[2..]);
    }

    [Fact]
    public void TheNearestOtherImageIsFoldedInAndTheQueryImageItselfIsNot()
    {
        // After expansion by near.jpg, (1.8, 0.6) normalised, the query sits at (0.949, 0.316): nearer near.jpg than
        // before. Had query.jpg (its own vector) been folded in, the query would have stayed at (1, 0).
        var plain = Distances(QueryExpander.None);
        var expanded = Distances(new QueryExpander(1, 0));

        Assert.True(expanded["near.jpg"] < plain["near.jpg"], $"{expanded["near.jpg"]} < {plain["near.jpg"]}");
        Assert.Equal(Distance([1.8f / MathF.Sqrt(3.6f), 0.6f / MathF.Sqrt(3.6f)], [0.8f, 0.6f]), expanded["near.jpg"], 5);
    }

    [Fact]
    public void AnExpandedQueryStillMeasuresTheShapeDistanceFromTheOriginalQuery()
    {
        var answer = _index.Answer(QuerySubject.Indexed("query.jpg"), new SimilarityQuery(2) { GroupByProduct = false }, new QueryExpander(1, 0))!;

        var near = answer.Results.Single(r => r.Image.ImageId == "near.jpg");
        Assert.Equal(Distance([1, 0], [0.8f, 0.6f]), near.ShapeDistance, 5);
        Assert.NotEqual(near.Distance, near.ShapeDistance);
    }

    public void Dispose() => _index.Dispose();

    private Dictionary<string, float> Distances(QueryExpander expander) =>
        _index.Answer(QuerySubject.Indexed("query.jpg"), new SimilarityQuery(2) { GroupByProduct = false }, expander)!
            .Results.ToDictionary(r => r.Image.ImageId, r => r.Distance);

    private static float Distance(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Distance(a, b);

    private void Add(string id, float[] vector) =>
        _index.Apply(id, new ProductVector("tees", id, id, "http://x/" + id, "m", "\"e\"", DateTimeOffset.UnixEpoch, vector));
}
