using System.Text.Json;
using ProductSearch.Cli.Catalog;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary><c>--json</c> prints one document a program can parse, with the figures the tables show.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class JsonOutputTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Query_Json_IsTheHttpApisAnswer()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "p2-s0.jpg", "--top", "2", "--group", "image", "--json"));

        Assert.True(result.ExitCode == 0, result.Output);
        using var answer = JsonDocument.Parse(result.Output);
        var root = answer.RootElement;
        Assert.Equal("studio", root.GetProperty("category").GetString());
        Assert.Equal(CliCatalog.ModelId, root.GetProperty("model").GetString());
        Assert.Equal(StudioCatalog.Products * StudioCatalog.Shots, root.GetProperty("searched").GetInt32());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["p2-s1.jpg", "p2-s2.jpg"], results.Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.All(results, r =>
        {
            Assert.Equal("p2", r.GetProperty("productId").GetString());
            var distance = r.GetProperty("distance").GetDouble();
            Assert.InRange(distance, 0, 2);
            Assert.Equal(1 - (distance * distance / 4), r.GetProperty("similarity").GetDouble(), 5);
            Assert.StartsWith("http://127.0.0.1:", r.GetProperty("imageUrl").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Stats_Json_CountsImagesAndVectorsPerModel()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);

        var result = await CliRun.RunAsync(catalog.Args("stats", "--json"));

        Assert.True(result.ExitCode == 0, result.Output);
        using var report = JsonDocument.Parse(result.Output);
        var studio = Assert.Single(report.RootElement.GetProperty("categories").EnumerateArray());
        Assert.Equal("studio", studio.GetProperty("category").GetString());
        Assert.Equal(12, studio.GetProperty("images").GetInt32());
        Assert.Equal(12, studio.GetProperty("vectorsByModel").GetProperty(CliCatalog.ModelId).GetInt32());
        Assert.Empty(report.RootElement.GetProperty("failures").EnumerateArray());
    }

    [Fact]
    public async Task Backfill_Json_ReportsIndexedThenAlreadyCurrent()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("tees/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync("tees/b.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        await catalog.UploadAsync("tees/broken.jpg", [0xFF, 0xD8, 0xFF, 0x00]);

        var first = await CliRun.RunAsync(catalog.Args("backfill", "--json"));
        var second = await CliRun.RunAsync(catalog.Args("backfill", "--json"));

        using var one = JsonDocument.Parse(first.Output);
        using var two = JsonDocument.Parse(second.Output);
        Assert.Equal(3, one.RootElement.GetProperty("listed").GetInt32());
        Assert.Equal(2, one.RootElement.GetProperty("indexed").GetInt32());
        var failure = Assert.Single(one.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal("tees/broken.jpg", failure.GetProperty("blobName").GetString());
        Assert.Equal(0, two.RootElement.GetProperty("indexed").GetInt32());
        Assert.Equal(2, two.RootElement.GetProperty("alreadyCurrent").GetInt32());
        Assert.Equal(first.ExitCode, one.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Failure_Json_IsAnErrorDocument()
    {
        await using var catalog = new CliCatalog(azurite);

        var result = await CliRun.RunAsync(catalog.Args("query", "--category", "nothing-here", "--id", "x.jpg", "--json"));

        Assert.Equal(1, result.ExitCode);
        using var error = JsonDocument.Parse(result.Output);
        Assert.Contains("Category 'nothing-here' has no vectors", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, error.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Eval_Json_PrintsTheReportsAloneOnTheOutput()
    {
        var folder = Directory.CreateTempSubdirectory("cli-eval-").FullName;
        try
        {
            // Two shots each of three generated products: each photo's other shot is the right answer.
            var lines = new List<string> { "path,category,product_id" };
            for (var product = 0; product < 3; product++)
            {
                for (var shot = 0; shot < 2; shot++)
                {
                    var name = $"tees/p{product}-{shot}.jpg";
                    Directory.CreateDirectory(Path.Combine(folder, "tees"));
                    await File.WriteAllBytesAsync(Path.Combine(folder, name), ProductPhotoGenerator.Jpeg(product, shot));
                    lines.Add($"{name},tees,p{product}");
                }
            }

            await File.WriteAllLinesAsync(Path.Combine(folder, "manifest.csv"), lines);

            var result = await CliProcess.RunCliAsync(
                RepositoryPaths.Root, null, "eval", "--manifest", Path.Combine(folder, "manifest.csv"), "--model", "models/resnet18.json",
                "--resize", "squash", "--storage", azurite.ConnectionString, "--container", "eval-" + Guid.NewGuid().ToString("N")[..8],
                "--output", Path.Combine(folder, "out"), "--colour-weights", "0.35", "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var document = JsonDocument.Parse(result.Output);
            var report = Assert.Single(document.RootElement.GetProperty("reports").EnumerateArray());
            // The descriptor declares colour: one weight asked for, the default, so one report at it.
            Assert.Equal($"{CliCatalog.ModelId} colour 0.35", report.GetProperty("label").GetString());
            Assert.Equal(6, report.GetProperty("overall").GetProperty("queries").GetInt32());
            Assert.Equal(1.0, report.GetProperty("overall").GetProperty("productRecallAt1").GetDouble()); // a generated product's other shot is nearest
            Assert.True(File.Exists(document.RootElement.GetProperty("summaryFile").GetString()));
            Assert.Contains("Retrieval quality", result.Error, StringComparison.Ordinal); // the tables went to the error output
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("120", true, 120)]
    [InlineData("120", false, 120)]
    [InlineData(null, true, TerminalWidth.Unwrapped)]
    [InlineData("wide", true, TerminalWidth.Unwrapped)]
    [InlineData("0", true, TerminalWidth.Unwrapped)]
    [InlineData(null, false, null)]
    public void Width_HonoursColumnsElseUnwrappedWhenRedirected(string? columns, bool redirected, int? expected) =>
        Assert.Equal(expected, TerminalWidth.For(columns, redirected));

    [Fact]
    public async Task PipedTable_KeepsLongIdsAndUrlsOnOneLine()
    {
        await using var catalog = new CliCatalog(azurite);
        var longName = "a-rather-long-product-image-name-that-would-wrap-at-eighty-columns";
        await catalog.UploadAsync($"tees/{longName}-1.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync($"tees/{longName}-2.jpg", ProductPhotoGenerator.Jpeg(0, 1));
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);

        var result = await CliProcess.RunCliAsync(RepositoryPaths.Root, null, catalog.Args("query", "--category", "tees", "--id", $"{longName}-1.jpg", "--group", "image"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = Assert.Single(result.Output.Split('\n'), line => line.Contains($"{longName}-2.jpg", StringComparison.Ordinal));
        Assert.Contains($"/tees/{longName}-2.jpg", row, StringComparison.Ordinal); // the full image URL on the same line
    }
}
