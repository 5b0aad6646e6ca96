using System.Text.Json;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary><c>attributes set|show|clear</c> against Azurite, and <c>query</c> showing the title they set.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class AttributesCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SetShowAndClear_RoundTripAndQueryShowsTheTitle()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("studio/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync("studio/b.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);

        var set = await CliRun.RunAsync(catalog.Args(
            "attributes", "set", "studio", "b", "--title", "Tee \"Aero\"", "--price", "29.00", "--currency", "EUR", "--label", "color=blue", "--label", "instock=true"));
        var merged = await CliRun.RunAsync(catalog.Args("attributes", "set", "studio", "b", "--merge", "--label", "instock=false"));
        var shown = await CliRun.RunAsync(catalog.Args("attributes", "show", "studio", "b", "--json"));
        var query = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "a.jpg"));
        var cleared = await CliRun.RunAsync(catalog.Args("attributes", "clear", "studio", "b", "--json"));

        Assert.True(set.ExitCode == 0, set.Output);
        Assert.True(merged.ExitCode == 0, merged.Output);
        using var json = JsonDocument.Parse(shown.Output);
        var product = json.RootElement.GetProperty("product");
        Assert.Equal("Tee \"Aero\"", product.GetProperty("title").GetString());
        Assert.Equal("29.00", product.GetProperty("price").GetString());
        Assert.Equal("false", product.GetProperty("labels").GetProperty("instock").GetString());
        Assert.Equal("blue", product.GetProperty("labels").GetProperty("color").GetString());
        Assert.False(product.TryGetProperty("url", out _));
        Assert.True(query.ExitCode == 0, query.Output);
        Assert.Contains("Title", query.Output, StringComparison.Ordinal);
        Assert.Contains("Aero", query.Output, StringComparison.Ordinal);
        using var none = JsonDocument.Parse(cleared.Output);
        Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("product").ValueKind);
    }

    [Fact]
    public async Task Set_WithBrokenRules_FailsNamingEachAndWritesNothing()
    {
        await using var catalog = new CliCatalog(azurite);

        var result = await CliRun.RunAsync(catalog.Args("attributes", "set", "studio", "p1", "--label", "Color=red", "--currency", "EUR", "--json"));
        var shown = await CliRun.RunAsync(catalog.Args("attributes", "show", "studio", "p1", "--json"));

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var error = json.RootElement.GetProperty("error").GetString()!;
        Assert.Contains("label key 'Color'", error, StringComparison.Ordinal);
        Assert.Contains("currency is given without a price", error, StringComparison.Ordinal);
        using var stored = JsonDocument.Parse(shown.Output);
        Assert.Equal(JsonValueKind.Null, stored.RootElement.GetProperty("product").ValueKind);
    }
}
