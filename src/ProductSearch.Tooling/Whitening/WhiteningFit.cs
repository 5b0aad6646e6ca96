using ProductSearch.Features;

namespace ProductSearch.Tooling.Whitening;

/// <summary>
/// Fits a <see cref="VectorWhitening"/> on unlabelled vectors: mean, covariance, eigen-decomposition, and a projection
/// that scales principal axis i by (eigenvalue_i + ε)^-power. Power 0.5 is full whitening; smaller powers whiten
/// partly, which is steadier when the vectors are few compared with their dimension.
/// </summary>
public static class WhiteningFit
{
    /// <param name="dimensions">Axes kept (the largest first); null keeps as many as the data supports (at most vectors - 1).</param>
    /// <param name="power">Exponent of the eigenvalue scaling: 0.5 whitens fully, 0 only centres and rotates.</param>
    public static VectorWhitening Fit(IReadOnlyList<float[]> vectors, int? dimensions = null, double power = 0.5)
    {
        if (vectors.Count < 2)
        {
            throw new ArgumentException("Whitening needs at least two vectors.", nameof(vectors));
        }

        var d = vectors[0].Length;
        if (vectors.Any(v => v.Length != d))
        {
            throw new ArgumentException("The vectors differ in dimension.", nameof(vectors));
        }

        var kept = Math.Min(dimensions ?? d, Math.Min(d, vectors.Count - 1));
        var mean = new double[d];
        foreach (var vector in vectors)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += vector[i];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= vectors.Count;
        }

        var covariance = new double[d * d];
        var centred = new double[d];
        foreach (var vector in vectors)
        {
            for (var i = 0; i < d; i++)
            {
                centred[i] = vector[i] - mean[i];
            }

            for (var i = 0; i < d; i++)
            {
                var ci = centred[i];
                for (var j = i; j < d; j++)
                {
                    covariance[(i * d) + j] += ci * centred[j];
                }
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                covariance[(i * d) + j] /= vectors.Count - 1;
                covariance[(j * d) + i] = covariance[(i * d) + j];
            }
        }

        var (values, axes) = SymmetricEigen.Decompose(covariance, d);
        // A floor relative to the largest spread keeps near-empty axes (noise) from being blown up without bound.
        var epsilon = Math.Max(values[0], 1e-12) * 1e-6;
        var projection = new float[kept * d];
        for (var k = 0; k < kept; k++)
        {
            var scale = Math.Pow(Math.Max(values[k], 0) + epsilon, -power);
            for (var i = 0; i < d; i++)
            {
                projection[(k * d) + i] = (float)(axes[(k * d) + i] * scale);
            }
        }

        return new VectorWhitening(mean.Select(m => (float)m).ToArray(), projection, kept);
    }
}
