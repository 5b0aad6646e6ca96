using System.Numerics.Tensors;

namespace ProductSearch.Tooling.Whitening;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations: slow for big matrices
/// (O(n^3) per sweep) but simple, exact to rounding and dependency-free, and a 512 x 512 covariance takes seconds once.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Decomposes the n x n row-major <paramref name="matrix"/> (destroyed). Returns eigenvalues in descending order
    /// and the matching unit eigenvectors as the rows of an n x n row-major matrix.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int n)
    {
        if (matrix.Length != n * n)
        {
            throw new ArgumentException($"{matrix.Length} values are not a {n} x {n} matrix.", nameof(matrix));
        }

        var a = matrix;
        var v = new double[n * n]; // rows are eigenvectors while rotating, so their updates are contiguous
        for (var i = 0; i < n; i++)
        {
            v[(i * n) + i] = 1;
        }

        var scratch = new double[2 * n];
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var offDiagonal = 0.0;
            var diagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[(p * n) + p] * a[(p * n) + p];
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[(p * n) + q] * a[(p * n) + q];
                }
            }

            if (offDiagonal <= 1e-22 * diagonal)
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    Rotate(a, v, n, p, q, scratch);
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[(i * n) + i]).ToArray();
        var values = order.Select(i => a[(i * n) + i]).ToArray();
        var vectors = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            v.AsSpan(order[k] * n, n).CopyTo(vectors.AsSpan(k * n, n));
        }

        return (values, vectors);
    }

    // Zeroes a[p,q] with the rotation of Golub & Van Loan's symmetric Schur decomposition (Algorithm 8.4.1). A stays
    // symmetric, so rows p and q are rotated (contiguous, vectorised) and copied into columns p and q.
    private static void Rotate(double[] a, double[] v, int n, int p, int q, double[] scratch)
    {
        var apq = a[(p * n) + q];
        if (Math.Abs(apq) < 1e-300)
        {
            return;
        }

        var (app, aqq) = (a[(p * n) + p], a[(q * n) + q]);
        var theta = (aqq - app) / (2 * apq);
        var t = theta == 0 ? 1 : Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        var c = 1 / Math.Sqrt((t * t) + 1);
        var s = t * c;

        RotateRows(a.AsSpan(p * n, n), a.AsSpan(q * n, n), c, s, scratch);
        for (var k = 0; k < n; k++)
        {
            a[(k * n) + p] = a[(p * n) + k];
            a[(k * n) + q] = a[(q * n) + k];
        }

        a[(p * n) + p] = app - (t * apq);
        a[(q * n) + q] = aqq + (t * apq);
        a[(p * n) + q] = 0;
        a[(q * n) + p] = 0;
        RotateRows(v.AsSpan(p * n, n), v.AsSpan(q * n, n), c, s, scratch);
    }

    // (rowP, rowQ) := (c rowP - s rowQ, s rowP + c rowQ).
    private static void RotateRows(Span<double> rowP, Span<double> rowQ, double c, double s, double[] scratch)
    {
        var oldP = scratch.AsSpan(0, rowP.Length);
        var term = scratch.AsSpan(rowP.Length, rowP.Length);
        rowP.CopyTo(oldP);
        TensorPrimitives.Multiply(rowQ, -s, term);
        TensorPrimitives.MultiplyAdd(oldP, c, term, rowP);
        TensorPrimitives.Multiply(rowQ, c, term);
        TensorPrimitives.MultiplyAdd(oldP, s, term, rowQ);
    }
}
