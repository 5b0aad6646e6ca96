using ProductSearch.Search.Filtering;

namespace ProductSearch.Tests.Search.Filtering;

public sealed class ProductFilterTests
{
    [Theory]
    [InlineData("color = red", "color = red")]
    [InlineData("color=red", "color = red")]
    [InlineData("  color\t=\nred  ", "color = red")]
    [InlineData("color = red OR color = blue AND instock = true", "color = blue OR color = red AND instock = true")]
    [InlineData("instock = true and color = blue or color = red", "color = blue OR color = red AND instock = true")]
    [InlineData("color = red Or color = red", "color = red")]
    [InlineData("size = m AND size = m", "size = m")]
    [InlineData("size = m AND size = l", "size = l AND size = m")]
    [InlineData("title = \"Aero \\\"light\\\"\"", "title = \"Aero \\\"light\\\"\"")]
    [InlineData("path = \"a\\\\b\"", "path = \"a\\\\b\"")]
    [InlineData("color = \"red\"", "color = red")]
    [InlineData("kind = \"and\"", "kind = \"and\"")]
    [InlineData("sku = MS01-blue_2.5:a+b/c", "sku = MS01-blue_2.5:a+b/c")]
    [InlineData("brand = Müller", "brand = Müller")]
    [InlineData("a.b-c_1 = x", "a.b-c_1 = x")]
    public void ValidFiltersHaveOneCanonicalText(string text, string canonical)
    {
        var filter = ProductFilter.Parse(text);

        Assert.Equal(canonical, filter.ToString());
        Assert.Equal(canonical, ProductFilter.Parse(filter.ToString()).ToString());
    }

    [Fact]
    public void OrBindsBeforeAnd()
    {
        var filter = ProductFilter.Parse("color = red OR color = blue AND instock = true");

        Assert.Equal(["color", "instock"], filter.Keys);
        Assert.Equal(2, filter.Terms.Count);
        Assert.Equal(["blue", "red"], filter.Terms[0].Values);
        Assert.Equal(["true"], filter.Terms[1].Values);
    }

    [Fact]
    public void QuotedValuesKeepSpacesQuotesAndBackslashes()
    {
        var filter = ProductFilter.Parse("title = \"Tee \\\"Aero\\\", 50\\\\50\"");

        Assert.Equal("Tee \"Aero\", 50\\50", filter.Terms[0].Values[0]);
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 3, "empty")]
    [InlineData("color red", 6, "Expected '=' after 'color' at position 6.")]
    [InlineData("color", 5, "Expected '=' after 'color' at position 5.")]
    [InlineData("color =", 7, "Expected a value after 'color =' at position 7, but the filter ends there.")]
    [InlineData("color = !", 8, "Expected a value after 'color =' at position 8, found '!'")]
    [InlineData("= red", 0, "Expected a key at position 0, found '='.")]
    [InlineData("Color = red", 0, "'Color' at position 0 is not a valid key")]
    [InlineData("1color = red", 0, "'1color' at position 0 is not a valid key")]
    [InlineData("col:or = red", 0, "'col:or' at position 0 is not a valid key")]
    [InlineData("color = red blue", 12, "Expected AND or OR at position 12, found 'blue'.")]
    [InlineData("color = red!", 11, "Unexpected '!' at position 11")]
    [InlineData("color = red AND", 15, "after 'AND' at position 15, but the filter ends there.")]
    [InlineData("color = red or ", 15, "after 'or' at position 15, but the filter ends there.")]
    [InlineData("color = red AND = x", 16, "Expected a key after 'AND' at position 16, found '='.")]
    [InlineData("color = red OR size = m", 15, "Clauses joined by OR must have the same key: 'size' at position 15 differs from 'color'.")]
    [InlineData("color = \"red", 8, "The quoted value starting at position 8 has no closing '\"'.")]
    [InlineData("color = \"r\\ed\"", 10, "Unknown escape at position 10")]
    [InlineData("color = \"\"", 8, "The value at position 8 is empty")]
    [InlineData("color = \" red\"", 8, "starts or ends with a space")]
    [InlineData("color = \"red\u0001\"", 12, "control character at position 12")]
    public void MalformedFiltersNameThePositionOfTheError(string text, int position, string message)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => ProductFilter.Parse(text));

        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(error);
    }

    [Fact]
    public void KeysAndValuesHaveTheirLabelLengths()
    {
        ProductFilter.Parse(new string('k', 40) + " = " + new string('v', 100));

        var key = Assert.Throws<FilterSyntaxException>(() => ProductFilter.Parse(new string('k', 41) + " = v"));
        var value = Assert.Throws<FilterSyntaxException>(() => ProductFilter.Parse("k = " + new string('v', 101)));

        Assert.Equal(0, key.Position);
        Assert.Equal(4, value.Position);
        Assert.Contains("101 characters; at most 100", value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFilterHasAtMost64Clauses()
    {
        var clauses = Enumerable.Range(0, 65).Select(i => $"k{i} = v").ToList();
        ProductFilter.Parse(string.Join(" AND ", clauses.Take(64)));

        var text = string.Join(" AND ", clauses);
        var error = Assert.Throws<FilterSyntaxException>(() => ProductFilter.Parse(text));

        Assert.Equal(text.IndexOf("k64", StringComparison.Ordinal), error.Position);
        Assert.Contains("at most 64 clauses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFilterHasAtMost1000Characters()
    {
        ProductFilter.Parse("k = " + new string('v', 96) + new string(' ', 900));

        var error = Assert.Throws<FilterSyntaxException>(() => ProductFilter.Parse("k = v" + new string(' ', 996)));

        Assert.Equal(1000, error.Position);
        Assert.Contains("1,001 characters long; at most 1,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchesWhenEveryTermHasOneOfItsValues()
    {
        var filter = ProductFilter.Parse("color = red OR color = blue AND instock = true");

        Assert.True(filter.Matches(Labels(("color", "red"), ("instock", "true"))));
        Assert.True(filter.Matches(Labels(("color", "blue"), ("instock", "true"), ("brand", "x"))));
        Assert.False(filter.Matches(Labels(("color", "green"), ("instock", "true"))));
        Assert.False(filter.Matches(Labels(("color", "red"), ("instock", "false"))));
    }

    [Fact]
    public void AProductWithoutTheKeyDoesNotMatch()
    {
        var filter = ProductFilter.Parse("instock = true");

        Assert.False(filter.Matches(Labels()));
        Assert.False(filter.Matches(Labels(("color", "red"))));
    }

    [Fact]
    public void ValuesMatchExactlyAndCaseSensitively()
    {
        var filter = ProductFilter.Parse("title = \"Tee \\\"Aero\\\"\"");

        Assert.True(filter.Matches(Labels(("title", "Tee \"Aero\""))));
        Assert.False(filter.Matches(Labels(("title", "tee \"aero\""))));
        Assert.False(filter.Matches(Labels(("title", "Tee \"Aero\" "))));
    }

    [Fact]
    public void AKeyInTwoAndTermsMustHoldBoth()
    {
        var filter = ProductFilter.Parse("size = m OR size = l AND size = l OR size = xl");

        Assert.True(filter.Matches(Labels(("size", "l"))));
        Assert.False(filter.Matches(Labels(("size", "m"))));
        Assert.False(filter.Matches(Labels(("size", "xl"))));
        Assert.False(ProductFilter.Parse("size = m AND size = l").Matches(Labels(("size", "m"))));
    }

    [Fact]
    public void UnknownKeysAreThoseNoProductHas()
    {
        var filter = ProductFilter.Parse("color = red AND material = wool AND instock = true");

        Assert.Equal(["material"], filter.UnknownKeys(new HashSet<string> { "color", "instock", "brand" }));
        Assert.Empty(filter.UnknownKeys(new HashSet<string> { "color", "instock", "material" }));
    }

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToDictionary(label => label.Key, label => label.Value);
}
