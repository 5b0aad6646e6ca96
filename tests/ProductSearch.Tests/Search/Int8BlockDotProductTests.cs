using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public class Int8BlockDotProductTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(96)]
    [InlineData(512)]
    [InlineData(25_088)]
    public void Compute_EqualsTheIntegerDotProduct(int stride)
    {
        var random = new Random(stride);
        var query = RandomCodes(random, stride);
        var rows = RandomCodes(random, 5 * stride);

        var dots = Compute(query, rows, 5);

        Assert.Equal(Enumerable.Range(0, 5).Select(r => Reference(query, rows.AsSpan(r * stride, stride))), dots);
    }

    [Fact]
    public void Compute_AtTheExtremes_NeitherSaturatesNorOverflows()
    {
        // Every product at +-127 * 127: the 16-bit pair sums of the AVX2 path are closest to their limit here.
        var query = Enumerable.Repeat((sbyte)-127, 25_088).ToArray();
        var rows = Enumerable.Repeat((sbyte)-127, 25_088).Concat(Enumerable.Repeat((sbyte)127, 25_088)).ToArray();

        var dots = Compute(query, rows, 2);

        Assert.Equal([127 * 127 * 25_088, -127 * 127 * 25_088], dots);
    }

    private static int[] Compute(sbyte[] query, sbyte[] rows, int count)
    {
        var magnitudes = query.Select(q => (byte)Math.Abs(q)).ToArray();
        var dots = new int[count];
        Int8BlockDotProduct.Compute(magnitudes, query, rows, dots);
        return dots;
    }

    private static sbyte[] RandomCodes(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-Int8Codes.MaxCode, Int8Codes.MaxCode + 1)).ToArray();

    private static int Reference(sbyte[] query, ReadOnlySpan<sbyte> row)
    {
        var sum = 0;
        for (var i = 0; i < query.Length; i++)
        {
            sum += query[i] * row[i];
        }

        return sum;
    }
}
