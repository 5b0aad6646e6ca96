using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProductSearch.Vectors;

/// <summary>
/// Dot products of one query with consecutive rows, four rows at a time: each query load serves four rows,
/// four independent accumulators hide the multiply-add latency, and there is one call per block instead of
/// per row. Rows are not multiples of a vector in general, so each row ends with a short scalar tail.
/// </summary>
internal static class BlockDotProduct
{
    public static void Compute(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> dots)
    {
        var dimension = query.Length;
        if (rows.Length != dots.Length * dimension)
        {
            throw new ArgumentException($"{rows.Length} values are not {dots.Length} rows of {dimension}.", nameof(rows));
        }

        var row = 0;
        if (Vector512.IsHardwareAccelerated && dimension >= Vector512<float>.Count)
        {
            for (; row + 4 <= dots.Length; row += 4)
            {
                FourRows512(query, rows.Slice(row * dimension, 4 * dimension), dots.Slice(row, 4));
            }
        }
        else if (Vector256.IsHardwareAccelerated && dimension >= Vector256<float>.Count)
        {
            for (; row + 4 <= dots.Length; row += 4)
            {
                FourRows256(query, rows.Slice(row * dimension, 4 * dimension), dots.Slice(row, 4));
            }
        }

        for (; row < dots.Length; row++)
        {
            dots[row] = TensorPrimitives.Dot(query, rows.Slice(row * dimension, dimension));
        }
    }

    private static void FourRows512(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> dots)
    {
        var dimension = query.Length;
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var r0 = ref MemoryMarshal.GetReference(rows);
        ref var r1 = ref Unsafe.Add(ref r0, dimension);
        ref var r2 = ref Unsafe.Add(ref r1, dimension);
        ref var r3 = ref Unsafe.Add(ref r2, dimension);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var i = 0;
        for (; i <= dimension - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = Vector512.LoadUnsafe(ref q, (nuint)i);
            a0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref r0, (nuint)i), x, a0);
            a1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref r1, (nuint)i), x, a1);
            a2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref r2, (nuint)i), x, a2);
            a3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref r3, (nuint)i), x, a3);
        }

        Finish(ref q, ref r0, ref r1, ref r2, ref r3, i, dimension, Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3), dots);
    }

    private static void FourRows256(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> dots)
    {
        var dimension = query.Length;
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var r0 = ref MemoryMarshal.GetReference(rows);
        ref var r1 = ref Unsafe.Add(ref r0, dimension);
        ref var r2 = ref Unsafe.Add(ref r1, dimension);
        ref var r3 = ref Unsafe.Add(ref r2, dimension);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        var i = 0;
        for (; i <= dimension - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = Vector256.LoadUnsafe(ref q, (nuint)i);
            a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r0, (nuint)i), x, a0);
            a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r1, (nuint)i), x, a1);
            a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r2, (nuint)i), x, a2);
            a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r3, (nuint)i), x, a3);
        }

        Finish(ref q, ref r0, ref r1, ref r2, ref r3, i, dimension, Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3), dots);
    }

    private static void Finish(
        ref float q, ref float r0, ref float r1, ref float r2, ref float r3, int i, int dimension,
        float s0, float s1, float s2, float s3, Span<float> dots)
    {
        for (; i < dimension; i++)
        {
            var x = Unsafe.Add(ref q, i);
            s0 += Unsafe.Add(ref r0, i) * x;
            s1 += Unsafe.Add(ref r1, i) * x;
            s2 += Unsafe.Add(ref r2, i) * x;
            s3 += Unsafe.Add(ref r3, i) * x;
        }

        dots[0] = s0;
        dots[1] = s1;
        dots[2] = s2;
        dots[3] = s3;
    }
}
