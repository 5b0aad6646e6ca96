using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ProductSearch.Vectors;

/// <summary>
/// Integer dot products of one int8 query with consecutive int8 rows, exact in int32. The hardware multiplies
/// unsigned bytes by signed bytes (<c>vpdpbusd</c>), so the query comes as magnitudes plus signs and each row byte
/// takes the query's sign first (<c>vpsignb</c>): |q| * sign(q) * x = q * x. Codes lie in -127..127, so no negation
/// overflows and, without VNNI, a pair of products (at most 2 * 127 * 127) still fits the 16-bit sums of <c>vpmaddubsw</c>.
/// Rows are padded to <see cref="Stride"/> with zeros, so no path has a tail.
/// </summary>
internal static unsafe class Int8BlockDotProduct
{
    /// <summary>Row and query lengths are multiples of this many bytes (one 256-bit register).</summary>
    public const int Stride = 32;

    // Far enough ahead to cover memory latency; the same distance as the float16 kernel's.
    private const int PrefetchBytes = 4096;

    /// <summary>Writes q.x for each row; <paramref name="magnitudes"/> and <paramref name="signs"/> are the query's |q| and q.</summary>
    public static void Compute(ReadOnlySpan<byte> magnitudes, ReadOnlySpan<sbyte> signs, ReadOnlySpan<sbyte> rows, Span<int> dots)
    {
        var stride = magnitudes.Length;
        if (stride % Stride != 0 || signs.Length != stride || rows.Length != dots.Length * stride)
        {
            throw new ArgumentException($"{rows.Length} bytes are not {dots.Length} rows of a query padded to {Stride} ({stride}).", nameof(rows));
        }

        fixed (byte* q = magnitudes)
        fixed (sbyte* s = signs)
        fixed (sbyte* first = rows)
        {
            var row = first;
            for (var r = 0; r < dots.Length; r++, row += stride)
            {
                dots[r] = AvxVnni.IsSupported ? RowVnni(q, s, row, stride)
                    : Avx2.IsSupported ? RowAvx2(q, s, row, stride)
                    : RowPortable(s, row, stride);
            }
        }
    }

    private static int RowVnni(byte* q, sbyte* s, sbyte* row, int stride)
    {
        Vector256<int> even = default, odd = default;
        var i = 0;
        for (; i <= stride - 64; i += 64)
        {
            Sse.Prefetch0(row + i + PrefetchBytes);
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.Load(q + i), Avx2.Sign(Vector256.Load(row + i), Vector256.Load(s + i)));
            odd = AvxVnni.MultiplyWideningAndAdd(odd, Vector256.Load(q + i + 32), Avx2.Sign(Vector256.Load(row + i + 32), Vector256.Load(s + i + 32)));
        }

        if (i < stride)
        {
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.Load(q + i), Avx2.Sign(Vector256.Load(row + i), Vector256.Load(s + i)));
        }

        return Vector256.Sum(even + odd);
    }

    private static int RowAvx2(byte* q, sbyte* s, sbyte* row, int stride)
    {
        var ones = Vector256.Create((short)1);
        Vector256<int> sum = default;
        for (var i = 0; i < stride; i += 32)
        {
            Sse.Prefetch0(row + i + PrefetchBytes);
            var pairs = Avx2.MultiplyAddAdjacent(Vector256.Load(q + i), Avx2.Sign(Vector256.Load(row + i), Vector256.Load(s + i)));
            sum += Avx2.MultiplyAddAdjacent(pairs, ones);
        }

        return Vector256.Sum(sum);
    }

    // Other processors (Arm64): widen to 16 bits (a product of two codes fits), then to 32 bits to add.
    private static int RowPortable(sbyte* s, sbyte* row, int stride)
    {
        Vector128<int> sum = default;
        for (var i = 0; i < stride; i += 16)
        {
            var x = Vector128.Load(row + i);
            var y = Vector128.Load(s + i);
            sum += Products(Vector128.WidenLower(x) * Vector128.WidenLower(y));
            sum += Products(Vector128.WidenUpper(x) * Vector128.WidenUpper(y));
        }

        return Vector128.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Products(Vector128<short> products) => Vector128.WidenLower(products) + Vector128.WidenUpper(products);
}
