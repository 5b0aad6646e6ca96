using System.Numerics.Tensors;
using ProductSearch.Search;

namespace ProductSearch.Tests.Search;

public sealed class AlphaQueryExpansionTests
{
    [Fact]
    public void AverageExpansionWithAlphaZeroIsTheNormalisedSum()
    {
        var expanded = Expand([1, 0], [[0, 1]], alpha: 0);

        Assert.Equal(MathF.Sqrt(0.5f), expanded[0], 5);
        Assert.Equal(MathF.Sqrt(0.5f), expanded[1], 5);
    }

    [Fact]
    public void AlphaWeighsANeighbourByItsSimilarityToThePower()
    {
        // cos = 0.6, so with alpha 2 the neighbour weighs 0.36.
        var expanded = Expand([1, 0], [[0.6f, 0.8f]], alpha: 2);

        var unnormalised = new[] { 1 + (0.36f * 0.6f), 0.36f * 0.8f };
        var norm = TensorPrimitives.Norm(unnormalised);
        Assert.Equal(unnormalised[0] / norm, expanded[0], 5);
        Assert.Equal(unnormalised[1] / norm, expanded[1], 5);
    }

    [Fact]
    public void ANeighbourPointingAwayAddsNothing()
    {
        var expanded = Expand([1, 0], [[-0.6f, 0.8f]], alpha: 3);

        Assert.Equal([1f, 0f], expanded);
    }

    private static float[] Expand(float[] query, float[][] neighbours, float alpha)
    {
        var expanded = new float[query.Length];
        AlphaQueryExpansion.Begin(query, expanded);
        foreach (var neighbour in neighbours)
        {
            AlphaQueryExpansion.Add(query, neighbour, alpha, expanded);
        }

        AlphaQueryExpansion.Finish(expanded);
        return expanded;
    }
}
