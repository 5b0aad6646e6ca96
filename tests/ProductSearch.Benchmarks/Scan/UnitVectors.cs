using System.Numerics.Tensors;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>Seeded random unit vectors: the same data in every run and for every contender.</summary>
internal static class UnitVectors
{
    public static void Fill(Span<float> values, int dimension, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        for (var row = 0; row < values.Length / dimension; row++)
        {
            var vector = values.Slice(row * dimension, dimension);
            TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        }
    }

    public static float[] Create(int dimension, int seed)
    {
        var vector = new float[dimension];
        Fill(vector, dimension, seed);
        return vector;
    }
}
