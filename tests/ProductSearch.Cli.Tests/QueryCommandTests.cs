using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

[Collection(CliAzuriteCollection.Name)]
public sealed class QueryCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Query_ById_ListsTheImagesOtherShotsFirst()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "p0-s0.jpg", "--top", "2", "--group", "image"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["p0-s1.jpg", "p0-s2.jpg"], ResultIds(result.Output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Query_ByIdGroupedByProduct_LeavesItsOwnProductOut()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "p0-s0.jpg", "--top", "3"));

        Assert.True(result.ExitCode == 0, result.Output);
        var ids = ResultIds(result.Output);
        Assert.Equal(3, ids.Count);
        Assert.DoesNotContain(ids, id => id.StartsWith("p0-", StringComparison.Ordinal));
        Assert.Equal(3, ids.Select(id => id[..2]).Distinct().Count());
    }

    [Fact]
    public async Task Query_ByImageFile_FindsItsProductFirst()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);
        var photo = Path.Combine(Path.GetTempPath(), $"cli-query-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(photo, ProductPhotoGenerator.Jpeg(2, 7)); // a shot of product 2 that is not in the catalogue
        try
        {
            var result = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--image", photo, "--top", "1"));

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Single(ResultIds(result.Output), id => id.StartsWith("p2-", StringComparison.Ordinal));
            Assert.Contains("p2 ", result.Output, StringComparison.Ordinal); // the product column
        }
        finally
        {
            File.Delete(photo);
        }
    }

    [Fact]
    public async Task Query_ByIdOfMagentoPhoto_TopResultsIncludeItsProductsOtherShot()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadSharedPhotosAsync(6, "men-tees");
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "men-tees", "--id", "ms01-blue_main.jpg", "--top", "3", "--group", "image"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("ms01-blue_back.jpg", ResultIds(result.Output));
        Assert.Contains("MS01-blue", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownCategory_ExitsNonZeroWithMessage()
    {
        await using var catalog = new CliCatalog(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "nothing-here", "--id", "x.jpg"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Category 'nothing-here' has no vectors of model resnet18-imagenet-avg", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownImageId_ExitsNonZeroWithMessage()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "missing.jpg"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'missing.jpg' has no vector", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The Id column of the results table, in rank order: rows start with a border, the rank and the id.</summary>
    private static List<string> ResultIds(string output) =>
        output.Split('\n')
            .Select(line => line.Split(['│', '|'], StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 3 && int.TryParse(cells[1], out _))
            .Select(cells => cells[2])
            .ToList();
}
