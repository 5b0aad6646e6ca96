using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProductSearch.Vectors;

/// <summary>
/// Dot products of one query with consecutive float16 rows, widened in registers: .NET has no float16 conversion
/// instruction to call, and widening into a buffer first made the float16 scan slower than float32 although it
/// reads half the bytes. The widening is two integer operations on the sign-extended bits (which the load does):
/// shifted left by 13 and masked, a float16's sign, exponent and mantissa land where a float32 keeps them, giving a
/// float32 exactly 2^-112 times the value (float16 subnormals included). The query is scaled by 2^112 once (<see cref="ScaleQuery"/>), so the products are exact as well.
/// </summary>
/// <remarks>
/// Rows are read one after the other, as one stream, with a software prefetch ahead of it. Reading four rows at once
/// (as <see cref="BlockDotProduct"/> does for float32) put four streams in one 4 KiB page, which the hardware
/// prefetcher does not follow, and the kernel ran at a third of memory speed.
/// </remarks>
internal static unsafe class HalfBlockDotProduct
{
    // Keeps bit 31 (sign) and bits 27..13 (exponent and mantissa) of a sign-extended float16 shifted left by 13.
    private const int WideningMask = unchecked((int)0x8FFF_E000);

    // Far enough ahead to cover memory latency at this loop's speed; the `scan` benchmark picks the distance.
    private const int PrefetchBytes = 4096;

    // 2^112 undoes the exponent bias difference (127 - 15); a float holds it exactly.
    private static readonly float QueryScale = MathF.ScaleB(1f, 112);

    /// <summary>Writes the query multiplied by 2^112, the form <see cref="Compute"/> expects.</summary>
    public static void ScaleQuery(ReadOnlySpan<float> query, Span<float> scaled) => TensorPrimitives.Multiply(query, QueryScale, scaled);

    public static void Compute(ReadOnlySpan<float> scaledQuery, ReadOnlySpan<Half> rows, Span<float> dots)
    {
        var dimension = scaledQuery.Length;
        if (rows.Length != dots.Length * dimension)
        {
            throw new ArgumentException($"{rows.Length} values are not {dots.Length} rows of {dimension}.", nameof(rows));
        }

        ref var q = ref MemoryMarshal.GetReference(scaledQuery);
        fixed (Half* first = rows)
        {
            var row = (short*)first;
            for (var r = 0; r < dots.Length; r++, row += dimension)
            {
                dots[r] = Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? Row512(ref q, row, dimension)
                    : Avx2.IsSupported ? Row256(ref q, row, dimension)
                    : Row128(ref q, row, dimension);
            }
        }
    }

    private static float Row512(ref float q, short* row, int dimension)
    {
        Vector512<float> low = default, high = default;
        var i = 0;
        for (; i <= dimension - 32; i += 32)
        {
            Prefetch(row + i);
            low = Vector512.MultiplyAddEstimate(Widen(Avx512F.ConvertToVector512Int32(Vector256.Load(row + i))), Vector512.LoadUnsafe(ref q, (nuint)i), low);
            high = Vector512.MultiplyAddEstimate(Widen(Avx512F.ConvertToVector512Int32(Vector256.Load(row + i + 16))), Vector512.LoadUnsafe(ref q, (nuint)(i + 16)), high);
        }

        return Tail(ref q, row, i, dimension, Vector512.Sum(low + high));
    }

    private static float Row256(ref float q, short* row, int dimension)
    {
        Vector256<float> low = default, high = default;
        var i = 0;
        for (; i <= dimension - 16; i += 16)
        {
            Prefetch(row + i);
            low = Vector256.MultiplyAddEstimate(Widen(Avx2.ConvertToVector256Int32(row + i)), Vector256.LoadUnsafe(ref q, (nuint)i), low);
            high = Vector256.MultiplyAddEstimate(Widen(Avx2.ConvertToVector256Int32(row + i + 8)), Vector256.LoadUnsafe(ref q, (nuint)(i + 8)), high);
        }

        return Tail(ref q, row, i, dimension, Vector256.Sum(low + high));
    }

    // Other processors (Arm64): the portable widening, four lanes at a time.
    private static float Row128(ref float q, short* row, int dimension)
    {
        Vector128<float> low = default, high = default;
        var i = 0;
        for (; i <= dimension - 8; i += 8)
        {
            var h = Vector128.Load(row + i);
            low = Vector128.MultiplyAddEstimate(Widen(Vector128.WidenLower(h)), Vector128.LoadUnsafe(ref q, (nuint)i), low);
            high = Vector128.MultiplyAddEstimate(Widen(Vector128.WidenUpper(h)), Vector128.LoadUnsafe(ref q, (nuint)(i + 4)), high);
        }

        return Tail(ref q, row, i, dimension, Vector128.Sum(low + high));
    }

    // A prefetch never faults, so running past the end of the matrix is harmless.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(short* at) => Sse.Prefetch0((byte*)at + PrefetchBytes);

    // The float16 bits arrive sign-extended, so bit 31 already holds the sign; the mask clears its other copies.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen(Vector512<int> h) => ((h << 13) & Vector512.Create(WideningMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(Vector256<int> h) => ((h << 13) & Vector256.Create(WideningMask)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Widen(Vector128<int> h) => ((h << 13) & Vector128.Create(WideningMask)).AsSingle();

    private static float Tail(ref float q, short* row, int i, int dimension, float sum)
    {
        for (; i < dimension; i++)
        {
            sum += BitConverter.Int32BitsToSingle((row[i] << 13) & WideningMask) * Unsafe.Add(ref q, i);
        }

        return sum;
    }
}
