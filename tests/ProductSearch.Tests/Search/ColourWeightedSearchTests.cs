using System.Numerics.Tensors;
using ProductSearch.Search;
using ProductSearch.Storage;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public sealed class ColourWeightedSearchTests
{
    private const int Shape = 16;
    private const int Colour = 8;
    private static readonly ColourColumns Columns = new("test-colour-v1", Colour);

    [Fact]
    public void WeightZeroReturnsExactlyTheShapeOrderAndDistances()
    {
        var (index, shapes, _) = Category(count: 60, seed: 1);
        var (results, _, weight) = ById(index, "img-0", new SimilarityQuery(20) { GroupByProduct = false, ColourWeight = 0 });

        var expected = Enumerable.Range(1, 59)
            .Select(i => (Id: $"img-{i}", Distance: TensorPrimitives.Distance(shapes[0], shapes[i])))
            .OrderBy(r => r.Distance).Take(20).ToList();
        Assert.Equal(0f, weight);
        Assert.Equal(expected.Select(r => r.Id), results.Select(r => r.Image.ImageId));
        Assert.Equal(expected.Select(r => r.Distance), results.Select(r => r.Distance));
        Assert.Equal(results.Select(r => r.Distance), results.Select(r => r.ShapeDistance));
    }

    [Fact]
    public void AnyWeightRanksByTheWeightedDistanceExactly()
    {
        var (index, shapes, colours) = Category(count: 80, seed: 2);
        var query = index.GetVector("img-5")!;
        const float w = 0.7f;

        var (results, _, weight) = ById(index, "img-5", new SimilarityQuery(10) { GroupByProduct = false, ColourWeight = w });

        var expected = Enumerable.Range(0, 80).Where(i => i != 5)
            .Select(i => (Id: $"img-{i}", Distance: MathF.Sqrt(
                (Square(TensorPrimitives.Distance(shapes[5], shapes[i])) + (w * w * Square(TensorPrimitives.Distance(colours[5], colours[i])))) / (1 + (w * w)))))
            .OrderBy(r => r.Distance).Take(10).ToList();
        Assert.Equal(w, weight);
        Assert.Equal(expected.Select(r => r.Id), results.Select(r => r.Image.ImageId));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Distance, results[i].Distance, 5);
        }

        // Each match carries its CNN-only distance, exactly as measured apart for "the same photo again".
        Assert.Equal(results.Select(r => index.ShapeDistance(query, r.Image.ImageId)!.Value), results.Select(r => r.ShapeDistance));
        Assert.All(results, r => Assert.NotEqual(r.Distance, r.ShapeDistance));
    }

    [Fact]
    public void AHigherWeightMovesTheSameColouredImageUp()
    {
        var index = new CategoryIndex("tops", "m", colour: Columns);
        var red = Unit([1, 0, 0, 0, 0, 0, 0, 0]);
        var blue = Unit([0, 0, 0, 0, 1, 0, 0, 0]);
        index.Apply("query", Row("query", Unit(Enumerable.Range(0, Shape).Select(i => i == 0 ? 1f : 0f).ToArray()), red));
        // Nearer in shape but blue, against a little farther in shape but red.
        index.Apply("blue-near", Row("blue-near", Unit(Enumerable.Range(0, Shape).Select(i => i switch { 0 => 1f, 1 => 0.3f, _ => 0f }).ToArray()), blue));
        index.Apply("red-far", Row("red-far", Unit(Enumerable.Range(0, Shape).Select(i => i switch { 0 => 1f, 2 => 0.5f, _ => 0f }).ToArray()), red));
        string[] Order(float w) => [.. ById(index, "query", new SimilarityQuery(2) { GroupByProduct = false, ColourWeight = w })
            .Results.Select(r => r.Image.ImageId)];

        Assert.Equal(["blue-near", "red-far"], Order(0));
        Assert.Equal(["red-far", "blue-near"], Order(0.5f));
    }

    [Fact]
    public void ACategoryWithARowWithoutColourAnswersShapeOnlyUntilItIsFilled()
    {
        var (index, shapes, colours) = Category(count: 30, seed: 3);
        // An image indexed before the upgrade: no colour (or another colour version).
        index.Apply("old", new ProductVector("tops", "old", "p-old", "u", "m", "e", DateTimeOffset.UnixEpoch, shapes[7], "older-colour-v0", colours[7]));
        var request = new SimilarityQuery(5) { GroupByProduct = false, ColourWeight = 1 };

        var (mixed, _, mixedWeight) = ById(index, "img-0", request);
        var (shapeOnly, _, _) = ById(index, "img-0", request with { ColourWeight = 0 });

        Assert.Equal(1, index.WithoutColour);
        Assert.Equal(0f, mixedWeight);
        Assert.Equal(shapeOnly.Select(r => (r.Image.ImageId, r.Distance)), mixed.Select(r => (r.Image.ImageId, r.Distance)));

        // Backfill writes the colour of the current version: the category is whole again and the weight applies.
        index.Apply("old", new ProductVector("tops", "old", "p-old", "u", "m", "e", DateTimeOffset.UnixEpoch, shapes[7], Columns.Id, colours[7]));
        var (_, _, filledWeight) = ById(index, "img-0", request);
        Assert.Equal(0, index.WithoutColour);
        Assert.Equal(1f, filledWeight);
    }

    [Fact]
    public void RemovingTheLastRowWithoutColourRestoresTheWeight()
    {
        var (index, shapes, _) = Category(count: 10, seed: 4);
        index.Apply("old", new ProductVector("tops", "old", "p-old", "u", "m", "e", DateTimeOffset.UnixEpoch, shapes[1]));
        Assert.Equal(0f, index.EffectiveColourWeight(0.5f));

        index.Apply("old", null);

        Assert.Equal(0, index.WithoutColour);
        Assert.Equal(0.5f, index.EffectiveColourWeight(0.5f));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void CompactAndInt8StorageRankAsFloat32Does(bool halfPrecision, bool int8Scan)
    {
        const int count = 3000, dimension = 512;
        var random = new Random(9);
        var exact = new CategoryIndex("tops", "m", colour: new ColourColumns("c", 216));
        var compact = new CategoryIndex("tops", "m", new RowFormat(halfPrecision, int8Scan), new ColourColumns("c", 216));
        for (var i = 0; i < count; i++)
        {
            var shape = Unit([.. Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1))]);
            var colour = new float[216];
            for (var b = 0; b < 6; b++)
            {
                colour[random.Next(216)] += (float)random.NextDouble();
            }

            var row = new ProductVector("tops", $"img-{i}", $"p-{i}", "u", "m", "e", DateTimeOffset.UnixEpoch, shape, "c", Unit(colour));
            exact.Apply(row.ImageId, row);
            compact.Apply(row.ImageId, row);
        }

        var agreeing = 0;
        for (var q = 0; q < 50; q++)
        {
            var request = new SimilarityQuery(10) { GroupByProduct = false, ColourWeight = 0.35f };
            var expected = ById(exact, $"img-{q}", request).Results.Select(r => r.Image.ImageId);
            agreeing += expected.SequenceEqual(ById(compact, $"img-{q}", request).Results.Select(r => r.Image.ImageId)) ? 1 : 0;
        }

        Assert.True(agreeing >= 49, $"{agreeing} of 50 top-10 lists agree with float32");
    }

    private static float Square(float x) => x * x;

    // "More like this image", as the app asks it: its stored row, itself left out.
    private static CategorySearchResult ById(CategoryIndex index, string imageId, SimilarityQuery request)
    {
        var answer = index.Answer(QuerySubject.Indexed(imageId), request, QueryExpander.None)!;
        return new CategorySearchResult(answer.Results, answer.Searched, answer.ColourWeight);
    }

    private static (CategoryIndex Index, float[][] Shapes, float[][] Colours) Category(int count, int seed)
    {
        var random = new Random(seed);
        var index = new CategoryIndex("tops", "m", colour: Columns);
        var shapes = new float[count][];
        var colours = new float[count][];
        for (var i = 0; i < count; i++)
        {
            shapes[i] = Unit([.. Enumerable.Range(0, Shape).Select(_ => (float)((random.NextDouble() * 2) - 1))]);
            // Histograms are non-negative.
            colours[i] = Unit([.. Enumerable.Range(0, Colour).Select(_ => (float)random.NextDouble())]);
            index.Apply($"img-{i}", Row($"img-{i}", shapes[i], colours[i]));
        }

        return (index, shapes, colours);
    }

    private static ProductVector Row(string id, float[] shape, float[] colour) =>
        new("tops", id, "p-" + id, "u", "m", "e", DateTimeOffset.UnixEpoch, shape, Columns.Id, colour);

    private static float[] Unit(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        return [.. v.Select(x => x / norm)];
    }
}
