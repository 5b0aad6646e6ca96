using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

[Collection(CliAzuriteCollection.Name)]
public sealed class BackfillCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Backfill_RunTwice_SecondRunIndexesNothingAndSaysSo()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadSharedPhotosAsync(6, "men-tees", "women-shorts");

        var first = await CliRun.RunAsync(catalog.Args("backfill", "--parallelism", "4"));
        var second = await CliRun.RunAsync(catalog.Args("backfill"));

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Indexed 12, skipped 0 (already current), failed 0, of 12 images.", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Indexed 0, skipped 12 (already current), failed 0, of 12 images.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing to index", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_WithCategory_IndexesOnlyThatCategory()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("shirts/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync("bags/b.jpg", ProductPhotoGenerator.Jpeg(3, 0));

        var result = await CliRun.RunAsync(catalog.Args("backfill", "--category", "shirts"));
        var everything = await CliRun.RunAsync(catalog.Args("backfill"));

        Assert.Contains("Indexed 1, skipped 0 (already current), failed 0, of 1 images.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Indexed 1, skipped 1 (already current), failed 0, of 2 images.", everything.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_ImageThatIsNotAnImage_IsCountedAsFailedWithItsReason()
    {
        await using var catalog = new CliCatalog(azurite);
        var category = "broken-" + Guid.NewGuid().ToString("N")[..8]; // the failures table is shared by every catalogue
        await catalog.UploadAsync($"{category}/good.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        await catalog.UploadAsync($"{category}/not-a-photo.jpg", "this is not a jpeg"u8.ToArray());

        var result = await CliRun.RunAsync(catalog.Args("backfill"));

        Assert.True(result.ExitCode == 0, result.Output); // a bad image is the shop's to replace, not a reason to retry
        Assert.Contains("Indexed 1, skipped 0 (already current), failed 1, of 2 images.", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{category}/not-a-photo.jpg", result.Output, StringComparison.Ordinal);
        Assert.Contains("NotAnImage", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing to index", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_SecondRun_DoesNotRetryAnImageRefusedBeforeAndSaysNothingToIndex()
    {
        await using var catalog = new CliCatalog(azurite);
        var category = "refused-" + Guid.NewGuid().ToString("N")[..8];
        await catalog.UploadAsync($"{category}/not-a-photo.jpg", "this is not a jpeg"u8.ToArray());
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);

        var second = await CliRun.RunAsync(catalog.Args("backfill"));

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Nothing to index", second.Output, StringComparison.Ordinal);
        Assert.Contains("replace the image (refused before)", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_EmptyCategory_ExitsNonZeroWithMessage()
    {
        await using var catalog = new CliCatalog(azurite);

        var result = await CliRun.RunAsync(catalog.Args("backfill", "--category", "no-such-category"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"No images under {catalog.Container.Name}/no-such-category/", result.Output, StringComparison.Ordinal);
    }
}
