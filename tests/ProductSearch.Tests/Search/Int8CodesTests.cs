using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class Int8CodesTests
{
    [Fact]
    public void Quantize_IsWithinHalfAStepAndPadsWithZeros()
    {
        var values = NaiveNearest.RandomUnitVector(new Random(21), 100);
        var codes = new sbyte[128];

        var scale = Int8Codes.Quantize(values, codes);

        Assert.Equal(values.Max(Math.Abs) / 127, scale, 6);
        // The first 96 go through the vector path, the last 4 through the scalar one: both round to even alike.
        var toCode = 127f / values.Max(Math.Abs);
        Assert.Equal(values.Select(v => (sbyte)MathF.Round(v * toCode)), codes[..100]);
        Assert.All(Enumerable.Range(0, 100), i => Assert.InRange(values[i] - (codes[i] * scale), -scale / 2 * 1.0001f, scale / 2 * 1.0001f));
        Assert.All(codes[100..], code => Assert.Equal(0, code));
        Assert.DoesNotContain((sbyte)-128, codes);
        Assert.Contains(codes, code => Math.Abs(code) == 127);
    }

    [Fact]
    public void Quantize_ZeroOrNonFiniteVector_HasZeroScaleAndCodes()
    {
        var codes = Enumerable.Repeat((sbyte)5, 32).ToArray();

        Assert.Equal(0f, Int8Codes.Quantize(new float[32], codes));
        Assert.All(codes, code => Assert.Equal(0, code));
        Assert.Equal(0f, Int8Codes.Quantize([1f, float.NaN], codes));
    }

    [Fact]
    public void QuantizeQuery_SplitsMagnitudesAndSigns()
    {
        var magnitudes = new byte[32];
        var signs = new sbyte[32];

        var scale = Int8Codes.QuantizeQuery([0.5f, -1f, 0.25f], magnitudes, signs);

        Assert.Equal(1f / 127, scale);
        Assert.Equal([64, -127, 32], signs[..3]);
        Assert.Equal([64, 127, 32], magnitudes[..3]);
    }
}
