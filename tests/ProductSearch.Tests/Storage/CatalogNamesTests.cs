using ProductSearch.Storage;

namespace ProductSearch.Tests.Storage;

public sealed class CatalogNamesTests
{
    [Fact]
    public void AnImageIdWhoseEncodedKeyIsTooLongIsInvalid()
    {
        // 400 characters is within the name limit, but each escapes to 6 key characters (%C3%A9).
        var id = new string('é', 400);

        Assert.False(CatalogNames.IsValidImageId(id));
        Assert.False(TableKeyCodec.TryEncode(id, out _));
        Assert.True(CatalogNames.IsValidImageId(new string('e', 400)));
    }

    [Fact]
    public void ACategoryWhoseEncodedKeyIsTooLongIsInvalid()
    {
        // 128 letters pass the pattern, but CJK letters escape to 9 key characters each.
        Assert.False(CatalogNames.IsValidCategory(new string('茶', 128)));
        Assert.True(CatalogNames.IsValidCategory("茶" + new string('a', 100)));
    }
}
