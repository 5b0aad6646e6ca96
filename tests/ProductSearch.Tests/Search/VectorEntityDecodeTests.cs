using ProductSearch.Storage;

namespace ProductSearch.Tests.Search;

public class VectorEntityDecodeTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(25_088)]
    public void DecodeVector_IntoARow_RoundTripsEveryPart(int dimension)
    {
        var vector = NaiveNearest.RandomUnitVector(new Random(18), dimension);
        var entity = VectorEntityCodec.ToEntity(new ProductVector("shoes", "a.jpg", "p", "u", "m", "e", DateTimeOffset.UnixEpoch, vector));
        var row = new float[VectorEntityCodec.ReadDimension(entity)];

        VectorEntityCodec.DecodeVector(entity, row);

        Assert.Equal(vector, row);
    }
}
