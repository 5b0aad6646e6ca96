using System.Text.Json;
using ProductSearch.Cli.Commands;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>
/// Blobs the catalogue cannot hold because of their names, and a folder Azurite cannot list, through <c>backfill</c>
/// and <c>stats</c> as a shop's operator runs them.
/// </summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class BlobNameCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Backfill_RecordsEachInvalidNameWithItsRule_AndTheSecondRunReportsEachOnceAsRefusedEarlier()
    {
        await using var catalog = new CliCatalog(azurite);
        var names = await UploadInvalidNamesAsync(catalog, "names-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await CliRun.RunAsync(catalog.Args("backfill", "--json"));
        var second = await CliRun.RunAsync(catalog.Args("backfill", "--json"));
        var third = await CliRun.RunAsync(catalog.Args("backfill"));

        Assert.True(first.ExitCode == 0, first.Output); // a bad name is the shop's to fix, not a reason to run again
        using var one = JsonDocument.Parse(first.Output);
        using var two = JsonDocument.Parse(second.Output);
        Assert.Equal(1, one.RootElement.GetProperty("indexed").GetInt32());
        foreach (var (run, refusedEarlier) in new[] { (one, false), (two, true) })
        {
            var failures = run.RootElement.GetProperty("failures").EnumerateArray().ToList();
            Assert.Equal(names.Count, failures.Count);
            foreach (var (name, rule) in names)
            {
                var failure = Assert.Single(failures, f => f.GetProperty("blobName").GetString() == name);
                Assert.Equal($"InvalidName: {rule}", failure.GetProperty("reason").GetString());
                Assert.Equal(refusedEarlier, failure.GetProperty("refusedEarlier").GetBoolean());
                Assert.True(failure.GetProperty("forItsName").GetBoolean());
                Assert.False(failure.GetProperty("transient").GetBoolean());
            }
        }

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(0, two.RootElement.GetProperty("indexed").GetInt32());
        Assert.Contains("Nothing to index", third.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_CountsAnInvalidImageNameAsAFailureOfItsCategory_AndNamesOutsideAnyCategoryOnTheInvalidNamesLine()
    {
        await using var catalog = new CliCatalog(azurite);
        var category = "names-" + Guid.NewGuid().ToString("N")[..8];
        var names = await UploadInvalidNamesAsync(catalog, category);
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);

        var json = await CliRun.RunAsync(catalog.Args("stats", "--json"));
        var text = await CliRun.RunAsync(catalog.Args("stats"));

        Assert.True(json.ExitCode == 0, json.Output);
        using var report = JsonDocument.Parse(json.Output);
        var categories = report.RootElement.GetProperty("categories").EnumerateArray().ToList();
        var row = Assert.Single(categories); // not cat#1, what?cat or the root
        Assert.Equal(category, row.GetProperty("category").GetString());
        Assert.Equal(4, row.GetProperty("images").GetInt32()); // the good one, the tab, 1,000 characters, 304 x é
        Assert.Equal(1, row.GetProperty("vectorsByModel").GetProperty(CliCatalog.ModelId).GetInt32());
        Assert.Equal(3, row.GetProperty("failures").GetInt32());
        Assert.Equal(3, report.RootElement.GetProperty("invalidNames").GetInt32()); // the root, cat#1, what?cat
        var failures = report.RootElement.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(names.Keys.Order(StringComparer.Ordinal), failures.Select(f => f.GetProperty("blobName").GetString()).Order(StringComparer.Ordinal));
        Assert.All(failures, f => Assert.Equal(names[f.GetProperty("blobName").GetString()!], f.GetProperty("message").GetString()));
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("Invalid names: 3 blobs at the container root or in folders that are not categories", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_AFolderStorageCannotList_IsAStorageErrorInJson_AndEveryOtherFolderIsBackfilled()
    {
        await using var catalog = new CliCatalog(azurite);
        var unique = Guid.NewGuid().ToString("N")[..8];
        await catalog.UploadAsync($"a-{unique}/one.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync($"b-{unique}/ok.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        await catalog.UploadAsync($"b-{unique}/a\u0001b.jpg", ProductPhotoGenerator.Jpeg(2, 0)); // Azurite answers its listing with an empty 500
        await catalog.UploadAsync($"c-{unique}/two.jpg", ProductPhotoGenerator.Jpeg(3, 0));

        var backfill = await CliRun.RunAsync(catalog.Args("backfill", "--json"));
        var stats = await CliRun.RunAsync(catalog.Args("stats", "--json"));

        Assert.True(backfill.ExitCode == CatalogCommand<BackfillCommand.Settings>.StorageUnavailable, backfill.Output);
        using var report = JsonDocument.Parse(backfill.Output);
        Assert.Equal(2, report.RootElement.GetProperty("indexed").GetInt32()); // a-… and c-…, before and after the broken folder
        var failed = Assert.Single(report.RootElement.GetProperty("listingFailures").EnumerateArray());
        Assert.Equal($"b-{unique}", failed.GetProperty("folder").GetString());
        Assert.Contains($"b-{unique}/", report.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(backfill.ExitCode, report.RootElement.GetProperty("exitCode").GetInt32());

        Assert.True(stats.ExitCode == CatalogCommand<StatsCommand.Settings>.StorageUnavailable, stats.Output);
        using var counts = JsonDocument.Parse(stats.Output);
        var rows = counts.RootElement.GetProperty("categories").EnumerateArray().ToDictionary(c => c.GetProperty("category").GetString()!);
        Assert.Equal(1, rows[$"a-{unique}"].GetProperty("images").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[$"b-{unique}"].GetProperty("images").ValueKind);
        Assert.Equal(1, rows[$"c-{unique}"].GetProperty("images").GetInt32());
        Assert.Contains($"b-{unique}/", counts.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The six names beside one good image in <paramref name="category"/>; each name with the rule it breaks.</summary>
    private static async Task<Dictionary<string, string>> UploadInvalidNamesAsync(CliCatalog catalog, string category)
    {
        var names = new Dictionary<string, string>
        {
            [$"{category}/a\tb.jpg"] = "The name contains a control character (U+0009).",
            [$"{category}/" + new string('n', 1000)] = "The name is 1,000 characters: the limit is 512.",
            [$"{category}/" + new string('é', 304)] =
                "The name is too long once stored: its 304 characters take 1,824 of at most 1,024 (a character outside ASCII takes 6 to 12).",
            ["root.jpg"] = "The blob is at the container root: upload it as <category>/<name>.",
            ["cat#1/a.jpg"] = "The category 'cat#1' may contain only letters, digits, space, '.', '_' and '-': '#' is none of these.",
            ["what?cat/a.jpg"] = "The category 'what?cat' may contain only letters, digits, space, '.', '_' and '-': '?' is none of these.",
        };
        await catalog.UploadAsync($"{category}/good.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        foreach (var name in names.Keys)
        {
            await catalog.UploadAsync(name, ProductPhotoGenerator.Jpeg(1, 0));
        }

        return names;
    }
}
