using System.Numerics.Tensors;

namespace ProductSearch.Search;

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
        for (var i = 0; i < values.Length; i++)
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
}
