using ProductSearch.Cli.Tests.Infrastructure;
using ProductSearch.Features;

namespace ProductSearch.Cli.Tests;

[Collection(CliAzuriteCollection.Name)]
public sealed class MaintenanceCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Reconcile_AfterABlobIsDeleted_RemovesItsVector()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("studio/keep.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync("studio/gone.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);
        await catalog.Container.DeleteBlobAsync("studio/gone.jpg");

        var result = await CliRun.RunAsync(catalog.Args("reconcile", "--category", "studio"));
        var query = await CliRun.RunAsync(catalog.Args("query", "--category", "studio", "--id", "gone.jpg"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Checked 2 vectors in 1 categories: removed 1 of deleted images", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, query.ExitCode);
    }

    [Fact]
    public async Task Reconcile_IndexesABlobThatWasNeverIndexedAndLeavesARefusedOneAlone()
    {
        await using var catalog = new CliCatalog(azurite);
        var category = "repair-" + Guid.NewGuid().ToString("N")[..8]; // the failures table is shared by every catalogue
        await catalog.UploadAsync($"{category}/indexed.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync($"{category}/broken.jpg", "not an image"u8.ToArray());
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);
        await catalog.UploadAsync($"{category}/missed.jpg", ProductPhotoGenerator.Jpeg(1, 0)); // as if the trigger never fired

        var result = await CliRun.RunAsync(catalog.Args("reconcile"));
        var query = await CliRun.RunAsync(catalog.Args("query", "--category", category, "--id", "missed.jpg"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Found 1 images the trigger missed: indexed 1, 0 left", result.Output, StringComparison.Ordinal);
        Assert.True(query.ExitCode == 0, query.Output);
    }

    [Fact]
    public async Task Stats_ListsCategoriesImageCountsModelIdsAndFailures()
    {
        await using var catalog = new CliCatalog(azurite);
        var category = "stats-" + Guid.NewGuid().ToString("N")[..8]; // the failures table is shared by every catalogue
        await catalog.UploadAsync($"{category}/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync($"{category}/b.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        await catalog.UploadAsync($"{category}/broken.jpg", "not an image"u8.ToArray());
        await catalog.UploadAsync("later/c.jpg", ProductPhotoGenerator.Jpeg(2, 0)); // uploaded, never indexed
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill", "--category", category))).ExitCode);

        var result = await CliRun.RunAsync(catalog.Args("stats"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Model ids: resnet18-imagenet-avg", result.Output, StringComparison.Ordinal);
        Assert.Contains($"int8 kernels on this machine: {Int8InstructionSet.Name}", result.Output, StringComparison.Ordinal);
        Assert.Equal(["3", "2", "1"], Row(result.Output, category));
        Assert.Equal(["1", "0", "0"], Row(result.Output, "later"));
        Assert.Contains($"{category}/broken.jpg", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_EmptyCatalogue_SaysSo()
    {
        await using var catalog = new CliCatalog(azurite);

        var result = await CliRun.RunAsync(catalog.Args("stats"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No categories", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The counts after the category's name in the counts table: images, vectors per model, failures.</summary>
    private static string[] Row(string output, string category) =>
        output.Split('\n')
            .Select(line => line.Split(['│', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .First(cells => cells.Length > 1 && cells[0] == category)[1..];
}
