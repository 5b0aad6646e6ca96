using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProductSearch.Vectors;

/// <summary>
/// Symmetric int8 quantisation, one scale per vector: the largest magnitude maps to 127, so a value is off by at
/// most half a step (max |x| / 254). -128 is never used, which lets <see cref="Int8BlockDotProduct"/> negate any code.
/// </summary>
internal static class Int8Codes
{
    public const int MaxCode = 127;

    /// <summary>Writes the codes of <paramref name="values"/> (and zeros up to the end of <paramref name="codes"/>); returns the scale back to values.</summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> codes)
    {
        var largest = values.IsEmpty ? 0f : TensorPrimitives.MaxMagnitude(values);
        codes[values.Length..].Clear();
        if (!float.IsFinite(largest) || largest == 0f)
        {
            codes[..values.Length].Clear();
            return 0f;
        }

        var toCode = MaxCode / MathF.Abs(largest);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // A cold load quantises every cached value: 32 at a time, rounded to even as MathF.Round does.
            ref var value = ref MemoryMarshal.GetReference(values);
            ref var code = ref MemoryMarshal.GetReference(codes);
            for (; i <= values.Length - 32; i += 32)
            {
                var low = Vector256.Narrow(Code(ref value, i, toCode), Code(ref value, i + 8, toCode));
                var high = Vector256.Narrow(Code(ref value, i + 16, toCode), Code(ref value, i + 24, toCode));
                Vector256.Narrow(low, high).StoreUnsafe(ref code, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(values[i] * toCode), -MaxCode, MaxCode);
        }

        return MathF.Abs(largest) / MaxCode;
    }

    /// <summary>Quantises a query into the magnitude and sign form <see cref="Int8BlockDotProduct"/> reads; returns its scale.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<byte> magnitudes, Span<sbyte> signs)
    {
        var scale = Quantize(query, signs);
        for (var i = 0; i < signs.Length; i++)
        {
            magnitudes[i] = (byte)Math.Abs(signs[i]);
        }

        return scale;
    }

    // |value| * 127 / largest is at most 127 (plus rounding), so narrowing to bytes never wraps.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Code(ref float values, int at, float toCode) =>
        Vector256.ConvertToInt32(Vector256.Round(Vector256.LoadUnsafe(ref values, (nuint)at) * toCode));
}
