using ProductSearch.Features;
using ProductSearch.Tooling.Whitening;

namespace ProductSearch.Tests.Features;

public sealed class WhiteningTests
{
    [Fact]
    public void EigenDecompositionOfASymmetricMatrixFindsItsEigenvaluesInDescendingOrder()
    {
        // [[2,1],[1,2]] has eigenvalues 3 (along (1,1)) and 1 (along (1,-1)).
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);

        Assert.Equal(3, values[0], 10);
        Assert.Equal(1, values[1], 10);
        Assert.Equal(1, Math.Abs(vectors[0] + vectors[1]) / Math.Sqrt(2), 10);
    }

    [Fact]
    public void EigenvectorsReconstructTheMatrix()
    {
        double[] matrix = [4, 1, 2, 1, 3, 0.5, 2, 0.5, 5];
        var (values, vectors) = SymmetricEigen.Decompose((double[])matrix.Clone(), 3);

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var sum = Enumerable.Range(0, 3).Sum(k => values[k] * vectors[(k * 3) + i] * vectors[(k * 3) + j]);
                Assert.Equal(matrix[(i * 3) + j], sum, 9);
            }
        }
    }

    [Fact]
    public void FullWhiteningGivesTheFittedVectorsZeroMeanAndUnitCovariance()
    {
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 400)
            .Select(_ => { var (a, b, c) = ((float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble()); return new[] { a + 1, a + b, (3 * c) - b }; })
            .ToArray();
        var whitening = WhiteningFit.Fit(vectors);

        var white = vectors.Select(v => { var o = new float[whitening.OutputDimension]; whitening.Apply(v, o); return o; }).ToArray();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, white.Average(w => w[i]), 3);
            for (var j = 0; j < 3; j++)
            {
                var covariance = white.Sum(w => (double)w[i] * w[j]) / (white.Length - 1);
                Assert.True(Math.Abs((i == j ? 1 : 0) - covariance) < 0.01, $"covariance[{i},{j}] = {covariance}");
            }
        }
    }

    [Fact]
    public void FittingKeepsOnlyTheRequestedDimensions()
    {
        float[][] vectors = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1]];

        Assert.Equal(2, WhiteningFit.Fit(vectors, dimensions: 2).OutputDimension);
    }

    [Fact]
    public void AWhiteningFileReadsBackTheSameTransform()
    {
        var whitening = WhiteningFit.Fit([[1, 2], [2, 1], [3, 5], [0, 1]]);
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.whitening");
        try
        {
            whitening.Save(path);
            var loaded = VectorWhitening.Load(path);

            float[] expected = new float[2], actual = new float[2];
            whitening.Apply([0.5f, 4f], expected);
            loaded.Apply([0.5f, 4f], actual);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileThatIsNotAWhiteningIsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.whitening");
        File.WriteAllText(path, "not a whitening file");
        try
        {
            Assert.Throws<InvalidDataException>(() => VectorWhitening.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
