using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProductSearch.Vectors;

/// <summary>
/// Subtracts q.x over the colour byte columns a query reads from a block of scores, in integers: the query's values
/// become int16 (scaled so that the largest is 32,767), two columns are interleaved as 16-bit lanes and one
/// multiply-add gives both columns' products for eight rows. Nothing is widened to float until a row's sum is
/// complete, and integer sums are exact (at most 108 pairs of 2 x 32,767 x 255 stay within int32), so the vector and
/// the scalar paths give the same scores.
/// </summary>
internal static unsafe class ColourColumnDot
{
    /// <summary>The largest int16 a query value is scaled to.</summary>
    public const int QueryScale = short.MaxValue;

    /// <summary>
    /// scores[r] -= factor * sum over pairs of the two columns' codes at row <c>start + r</c> times their weights.
    /// <paramref name="columns"/> holds one pinned code column per query bin, an even count (the last may repeat with a
    /// weight of 0); <paramref name="weights"/> the bins' int16 values two by two (first bin low, second high).
    /// </summary>
    public static void Subtract(ReadOnlySpan<nint> columns, ReadOnlySpan<int> weights, float factor, int start, Span<float> scores)
    {
        fixed (nint* c = columns)
        fixed (int* w = weights)
        fixed (float* s = scores)
        {
            var done = Avx2.IsSupported ? SubtractAvx2(c, w, weights.Length, factor, start, s, scores.Length) : 0;
            SubtractScalar(c, w, weights.Length, factor, start, s, done, scores.Length);
            if (Sse.IsSupported)
            {
                // The next block's codes, while this block's CNN rows stream through the cache: a query's columns are
                // too many for the hardware to follow as streams beside the CNN rows.
                for (var i = 0; i < columns.Length; i++)
                {
                    Sse.Prefetch0((byte*)c[i] + start + scores.Length);
                }
            }
        }
    }

    // 32 rows at a time: returns how many rows it did.
    private static int SubtractAvx2(nint* columns, int* weights, int pairs, float factor, int start, float* scores, int rows)
    {
        var scale = Vector256.Create(factor);
        var r = 0;
        for (; r + 32 <= rows; r += 32)
        {
            var (a0, a1, a2, a3) = (Vector256<int>.Zero, Vector256<int>.Zero, Vector256<int>.Zero, Vector256<int>.Zero);
            for (var p = 0; p < pairs; p++)
            {
                var first = (byte*)columns[2 * p] + start + r;
                var second = (byte*)columns[(2 * p) + 1] + start + r;
                var w = Vector256.Create(weights[p]).AsInt16();

                // Per 128-bit lane, UnpackLow pairs rows 0-3 (and 8-11) of the two columns, UnpackHigh rows 4-7 (12-15).
                var x = Avx2.ConvertToVector256Int16(first);
                var y = Avx2.ConvertToVector256Int16(second);
                a0 = Avx2.Add(a0, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x, y), w));
                a1 = Avx2.Add(a1, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x, y), w));
                x = Avx2.ConvertToVector256Int16(first + 16);
                y = Avx2.ConvertToVector256Int16(second + 16);
                a2 = Avx2.Add(a2, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(x, y), w));
                a3 = Avx2.Add(a3, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(x, y), w));
            }

            // Back into row order: the low lanes hold rows 0-7, the high lanes rows 8-15.
            SubtractFrom(scores + r, Avx2.Permute2x128(a0, a1, 0x20), scale);
            SubtractFrom(scores + r + 8, Avx2.Permute2x128(a0, a1, 0x31), scale);
            SubtractFrom(scores + r + 16, Avx2.Permute2x128(a2, a3, 0x20), scale);
            SubtractFrom(scores + r + 24, Avx2.Permute2x128(a2, a3, 0x31), scale);
        }

        return r;
    }

    private static void SubtractFrom(float* scores, Vector256<int> sums, Vector256<float> scale) =>
        (Vector256.Load(scores) - (Vector256.ConvertToSingle(sums) * scale)).Store(scores);

    private static void SubtractScalar(nint* columns, int* weights, int pairs, float factor, int start, float* scores, int from, int rows)
    {
        for (var r = from; r < rows; r++)
        {
            var sum = 0;
            for (var p = 0; p < pairs; p++)
            {
                sum += (((byte*)columns[2 * p])[start + r] * (short)weights[p]) + (((byte*)columns[(2 * p) + 1])[start + r] * (weights[p] >> 16));
            }

            scores[r] -= sum * factor;
        }
    }
}
