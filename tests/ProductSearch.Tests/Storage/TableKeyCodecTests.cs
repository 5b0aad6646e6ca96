using ProductSearch.Storage;

namespace ProductSearch.Tests.Storage;

public sealed class TableKeyCodecTests
{
    public static TheoryData<string> Names =>
    [
        "shirt.jpg", "red shirt (front).jpg", "müslí-čaj 茶.png", "emoji 👕.webp", "a#b?c%d.jpg",
        "nested/folders/deep.jpg", "back\\slash.jpg", "tab\there", "~tilde~.jpg", "100%25 literal.jpg", "'quoted' or 1 eq 1",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void EncodingRoundTrips(string name) => Assert.Equal(name, TableKeyCodec.Decode(TableKeyCodec.Encode(name)));

    [Theory]
    [MemberData(nameof(Names))]
    public void EncodedKeysHoldNoForbiddenCharacterAndSortBelowTheChangeLog(string name)
    {
        var key = TableKeyCodec.Encode(name);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.True(string.CompareOrdinal(key, ChangeLog.RowKeyPrefix) < 0, key);
    }

    [Fact]
    public void ReadableNamesStayReadable() => Assert.Equal("red shirt.jpg", TableKeyCodec.Encode("red shirt.jpg"));

    [Fact]
    public void ANameTooLongForAKeyIsRefused() =>
        Assert.Throws<ArgumentException>(() => TableKeyCodec.Encode(new string('é', 600)));
}
