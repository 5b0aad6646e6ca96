using ProductSearch.Products;

namespace ProductSearch.Tests.Products;

public sealed class ProductAttributeRulesTests
{
    private static ProductAttributes WithLabels(params (string Key, string Value)[] labels) =>
        new() { Labels = labels.ToDictionary(l => l.Key, l => l.Value) };

    [Fact]
    public void AFullCardKeepsEveryRule()
    {
        var attributes = new ProductAttributes
        {
            Title = "Tee \"Aero\" – blå",
            Url = "https://shop.example/p/ms01?colour=blue",
            Price = "29.0000",
            Currency = "EUR",
            Labels = new Dictionary<string, string> { ["color"] = "blue", ["size.eu"] = "42", ["in_stock"] = "true", ["brand-line"] = "Aero 🚀" },
        };

        Assert.Empty(ProductAttributeRules.Problems(attributes));
    }

    [Theory]
    [InlineData("Color")]
    [InlineData("1color")]
    [InlineData("col or")]
    [InlineData("colör")]
    [InlineData("_color")]
    [InlineData("")]
    [InlineData("a12345678901234567890123456789012345678901")]
    public void AKeyOutsideTheRulesIsNamed(string key)
    {
        var problem = Assert.Single(ProductAttributeRules.Problems(WithLabels((key, "x"))));

        Assert.StartsWith($"label key '{key}'", problem, StringComparison.Ordinal);
        Assert.Contains("lowercase letter", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1 to 100")]
    [InlineData(" blue", "whitespace")]
    [InlineData("blue\t", "control")]
    [InlineData("bl\u0001ue", "control")]
    public void AValueOutsideTheRulesIsNamedWithItsKey(string value, string why)
    {
        var problem = Assert.Single(ProductAttributeRules.Problems(WithLabels(("color", value))));

        Assert.StartsWith("label 'color': the value", problem, StringComparison.Ordinal);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoneSurrogateIsNoText() =>
        Assert.Contains("lone surrogate", Assert.Single(ProductAttributeRules.Problems(WithLabels(("color", "blue\ud800")))), StringComparison.Ordinal);

    [Fact]
    public void AValueCountsCharactersNotUtf16Units()
    {
        Assert.Empty(ProductAttributeRules.Problems(WithLabels(("emoji", string.Concat(Enumerable.Repeat("🚀", 100))))));
        Assert.Single(ProductAttributeRules.Problems(WithLabels(("emoji", string.Concat(Enumerable.Repeat("🚀", 101))))));
    }

    [Fact]
    public void MoreThan32LabelsAreRefused()
    {
        var problems = ProductAttributeRules.Problems(WithLabels([.. Enumerable.Range(0, 33).Select(i => ($"k{i}", "v"))]));

        Assert.Equal("labels: 33 labels, at most 32 are allowed.", Assert.Single(problems));
        Assert.Empty(ProductAttributeRules.Problems(WithLabels([.. Enumerable.Range(0, 32).Select(i => ($"k{i}", "v"))])));
    }

    [Theory]
    [InlineData("29")]
    [InlineData("0.5")]
    [InlineData("1234.5678")]
    [InlineData("12345678901234567890")]
    public void PricesAsShopsWriteThemAreTaken(string price) =>
        Assert.Empty(ProductAttributeRules.Problems(new ProductAttributes { Price = price }));

    [Theory]
    [InlineData("-1")]
    [InlineData("29,00")]
    [InlineData("1.23456")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e3")]
    [InlineData("€29")]
    [InlineData("123456789012345678901")]
    public void APriceThatIsNoPlainDecimalIsRefused(string price) =>
        Assert.StartsWith($"price '{price}'", Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Price = price })), StringComparison.Ordinal);

    [Theory]
    [InlineData("ftp://shop.example/p")]
    [InlineData("/p/ms01")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public void AUrlThatIsNoHttpPageIsRefused(string url) =>
        Assert.StartsWith("url ", Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Url = url })), StringComparison.Ordinal);

    [Fact]
    public void ACurrencyNeedsAPriceAndThreeCapitals()
    {
        Assert.Equal("currency is given without a price.", Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Currency = "EUR" })));
        Assert.StartsWith("currency 'eur'", Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Price = "1", Currency = "eur" })), StringComparison.Ordinal);
    }

    [Fact]
    public void TitleLengthAndControlCharactersAreRefused()
    {
        Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Title = "" }));
        Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Title = new string('t', 201) }));
        Assert.Contains("control", Assert.Single(ProductAttributeRules.Problems(new ProductAttributes { Title = "a\nb" })), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBrokenRuleIsReportedAtOnce()
    {
        var attributes = new ProductAttributes
        {
            Title = "",
            Url = "ftp://x",
            Price = "abc",
            Currency = "euro",
            Labels = new Dictionary<string, string> { ["Bad"] = "ok", ["good"] = " padded" },
        };

        Assert.Equal(6, ProductAttributeRules.Problems(attributes).Count);
    }

    [Fact]
    public void AttributesAreEqualByValueWhateverTheLabelOrder()
    {
        var a = new ProductAttributes { Title = "t", Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } };
        var b = new ProductAttributes { Title = "t", Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Price = "1" });
    }

    [Fact]
    public void AnOverlayReplacesWhatItSetsAndKeepsTheRest()
    {
        var stored = new ProductAttributes { Title = "old", Price = "10", Labels = new Dictionary<string, string> { ["color"] = "red", ["instock"] = "true" } };
        var incoming = new ProductAttributes { Title = "new", Labels = new Dictionary<string, string> { ["color"] = "blue" } };

        var merged = stored.Overlay(incoming);

        Assert.Equal(new ProductAttributes { Title = "new", Price = "10", Labels = new Dictionary<string, string> { ["color"] = "blue", ["instock"] = "true" } }, merged);
    }
}
