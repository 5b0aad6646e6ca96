using ProductSearch.Products;

namespace ProductSearch.Tests.Products;

public sealed class ProductMetadataTests
{
    [Fact]
    public void TheDocumentedExampleReadsAsItSays()
    {
        // docs/products.md: --metadata productid=MS01-blue title=Tee%20%22Aero%22 price=29.00 currency=EUR "labels=color=blue&instock=true"
        var metadata = new Dictionary<string, string>
        {
            ["productid"] = "MS01-blue",
            ["title"] = "Tee%20%22Aero%22",
            ["price"] = "29.00",
            ["currency"] = "EUR",
            ["labels"] = "color=blue&instock=true",
        };

        var reading = ProductMetadata.Read(metadata);

        Assert.Empty(reading.Refused);
        Assert.Equal(
            new ProductAttributes { Title = "Tee \"Aero\"", Price = "29.00", Currency = "EUR", Labels = new Dictionary<string, string> { ["color"] = "blue", ["instock"] = "true" } },
            reading.Accepted);
    }

    [Fact]
    public void WhatWriteEncodesReadGivesBack()
    {
        var attributes = new ProductAttributes
        {
            Title = "Lampe « Ørsted » 50% & more + = ?",
            Url = "https://shop.example/p?id=1&c=2",
            Price = "0.5",
            Labels = new Dictionary<string, string> { ["material"] = "glass & steel = 100%", ["room"] = "living room" },
        };

        var metadata = ProductMetadata.Write(attributes);
        var reading = ProductMetadata.Read(metadata);

        Assert.All(metadata.Values, v => Assert.True(v.All(char.IsAscii), v));
        Assert.DoesNotContain('+', metadata["labels"]);
        Assert.Empty(reading.Refused);
        Assert.Equal(attributes, reading.Accepted);
    }

    [Fact]
    public void APlusIsAPlusNotASpace() =>
        Assert.Equal("a+b", ProductMetadata.Read(new Dictionary<string, string> { ["title"] = "a+b" }).Accepted.Title);

    [Fact]
    public void BadLabelsAndFieldsAreRefusedOneByOneAndTheRestAccepted()
    {
        var metadata = new Dictionary<string, string>
        {
            ["Title"] = "Good%20title",
            ["price"] = "cheap",
            ["labels"] = "color=blue&Size=XL&nokey&instock=true&color=red",
        };

        var reading = ProductMetadata.Read(metadata);

        Assert.Equal(new ProductAttributes { Title = "Good title", Labels = new Dictionary<string, string> { ["color"] = "blue", ["instock"] = "true" } }, reading.Accepted);
        Assert.Equal(4, reading.Refused.Count);
        Assert.Contains(reading.Refused, r => r.StartsWith("price 'cheap'", StringComparison.Ordinal));
        Assert.Contains(reading.Refused, r => r.StartsWith("label key 'Size'", StringComparison.Ordinal));
        Assert.Contains(reading.Refused, r => r.Contains("'nokey' is no key=value pair", StringComparison.Ordinal));
        Assert.Contains(reading.Refused, r => r.Contains("'color' is given twice", StringComparison.Ordinal));
    }

    [Fact]
    public void MetadataWithoutAttributesSaysNothing() =>
        Assert.False(ProductMetadata.Read(new Dictionary<string, string> { ["productid"] = "p1" }).SaysAnything);
}
