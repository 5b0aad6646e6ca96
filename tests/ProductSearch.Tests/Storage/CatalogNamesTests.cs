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

    [Theory]
    [InlineData("root.jpg", "The blob is at the container root: upload it as <category>/<name>.")]
    [InlineData("/x.jpg", "The blob name starts with '/', so it has no category folder: upload it as <category>/<name>.")]
    [InlineData("shoes/", "The blob has no name after its folder 'shoes/': upload it as <category>/<name>.")]
    [InlineData("cat#1/a.jpg", "The category 'cat#1' may contain only letters, digits, space, '.', '_' and '-': '#' is none of these.")]
    [InlineData("what?cat/a.jpg", "The category 'what?cat' may contain only letters, digits, space, '.', '_' and '-': '?' is none of these.")]
    [InlineData("-shoes/a.jpg", "The category '-shoes' must start with a letter or a digit.")]
    [InlineData("sho\u0001es/a.jpg", "The category contains a control character (U+0001).")]
    [InlineData("shoes/a\tb.jpg", "The name contains a control character (U+0009).")]
    [InlineData("shoes//a.jpg", "The name starts with '/' (two slashes after the category folder): upload it as <category>/<name>.")]
    [InlineData("shoes/a\\\\b.jpg", "The name contains '\\': use '/' between folders, or another character.")]
    public void EachBrokenRuleIsASentenceThatSaysWhatToDo(string blobName, string expected)
    {
        // Names are written escaped (\u0001, \t, \\) so that the test's own name shows them.
        Assert.Equal(expected, CatalogNames.BlobNameProblem(System.Text.RegularExpressions.Regex.Unescape(blobName)));
    }

    [Fact]
    public void ALongNameSaysItsLengthAndTheLimit()
    {
        Assert.Equal("The name is 1,000 characters: the limit is 512.", CatalogNames.BlobNameProblem("shoes/" + new string('a', 1000)));
        Assert.Equal("The category is 200 characters: the limit is 128.", CatalogNames.BlobNameProblem(new string('c', 200) + "/a.jpg"));
    }

    [Fact]
    public void ANameWithinTheLengthLimitWhoseKeyIsTooLongSaysHowLongItsKeyIs()
    {
        var problem = CatalogNames.BlobNameProblem("shoes/" + new string('é', 304));

        Assert.Equal(
            "The name is too long once stored: its 304 characters take 1,824 of at most 1,024 (a character outside ASCII takes 6 to 12).", problem);
    }

    [Theory]
    [InlineData("shoes/a.jpg")]
    [InlineData("茶 2.0_x/summer/a b#1?%.jpg")]
    [InlineData("Ⅻ²/a.jpg")] // letters and numbers beyond ASCII digits, as the pattern's \p{L} and \p{N}
    public void AValidBlobNameHasNoProblem(string blobName)
    {
        Assert.Null(CatalogNames.BlobNameProblem(blobName));
    }

    [Fact]
    public void ShownSpellsControlCharactersAsCodePoints()
    {
        Assert.Equal("a <U+0001>b <U+0009>.jpg", CatalogNames.Shown("a \u0001b \t.jpg"));
    }
}
