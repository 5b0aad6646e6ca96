using ProductSearch.Storage;

namespace ProductSearch.Tests.Storage;

public sealed class VectorEntityCodecTests
{
    [Theory]
    [InlineData(512, 1)]
    [InlineData(16384, 1)]
    [InlineData(16385, 2)]
    [InlineData(25088, 2)]
    public void VectorsRoundTripAndSplitAt64KiB(int dimension, int parts)
    {
        var random = new Random(dimension);
        var vector = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var product = new ProductVector("men tees", "a/b#1.jpg", "MH01-gray", "http://x/y", "m1", "\"0x1\"", DateTimeOffset.UnixEpoch, vector);

        var entity = VectorEntityCodec.ToEntity(product);
        var back = VectorEntityCodec.FromEntity(entity);

        Assert.Equal(parts, entity.GetInt32("VectorParts"));
        Assert.All(Enumerable.Range(0, parts), i => Assert.True(entity.GetBinary("Vector" + i)!.Length <= VectorEntityCodec.MaxPropertyBytes));
        Assert.Equal(vector, back.Vector);
        Assert.Equal(product with { Vector = back.Vector }, back);
    }

    [Fact]
    public void VectorBytesAreFloat32LittleEndian()
    {
        var parts = VectorEntityCodec.EncodeVector([1f, -2.5f]);

        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0 }, parts.Single());
    }

    [Fact]
    public void ATruncatedVectorIsRefused()
    {
        var entity = VectorEntityCodec.ToEntity(new ProductVector("c", "i", "p", "u", "m", "e", DateTimeOffset.UnixEpoch, new float[512]));
        entity["Dimension"] = 513;

        Assert.Throws<InvalidDataException>(() => VectorEntityCodec.FromEntity(entity));
    }
}
