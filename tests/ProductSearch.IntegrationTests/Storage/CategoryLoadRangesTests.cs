using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Storage;

/// <summary>A cold load reads key ranges at once: whatever the names, it must read every image once, each with its own vector.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CategoryLoadRangesTests(AzuriteFixture azurite)
{
    private const string Category = "ranges";

    // Names in every default range (digits, capitals, lower case, escaped characters), and on the split keys themselves.
    private static readonly string[] ImageIds =
    [
        "0a1f.jpg", "4.jpg", "7e.jpg", "9-front.jpg", "A.jpg", "IMG_2041.JPG", "N.jpg", "Zed.jpg", "_side.jpg",
        "a.jpg", "apple.jpg", "h", "kiwi.jpg", "o.png", "pear.jpg", "u.jpg", "zebra.jpg", "été.jpg", "summer/ms01 #1.jpg",
    ];

    [Fact]
    public async Task ALoadInRangesReadsEveryImageOnceWithItsVectorInKeyOrder()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.EnsureCreatedAsync();
        for (var i = 0; i < ImageIds.Length; i++)
        {
            await app.Table.TryWriteAsync(Vector(ImageIds[i], i), null, CancellationToken.None);
        }

        var inRanges = await app.Table.Matrices.ReadAsync(Category, "m", CancellationToken.None);
        var inOne = await app.Table.Matrices.ReadAsync(Category, "m", CancellationToken.None, rowKeySplits: []);

        Assert.Equal(ImageIds.OrderBy(TableKeyCodec.Encode, StringComparer.Ordinal), inRanges.Images.Select(image => image.ImageId));
        Assert.Equal(inOne.Images, inRanges.Images);
        for (var row = 0; row < inRanges.Images.Count; row++)
        {
            var written = Array.IndexOf(ImageIds, inRanges.Images[row].ImageId);
            Assert.Equal(Vector(ImageIds[written], written).Vector, inRanges.Matrix!.Row(row).ToArray());
        }
    }

    [Fact]
    public async Task ACategoryInOneRangeOrNoneLoadsLikeOneRead()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.EnsureCreatedAsync();
        Assert.Null((await app.Table.Matrices.ReadAsync(Category, "m", CancellationToken.None)).Matrix);

        await app.Table.TryWriteAsync(Vector("pear.jpg", 1), null, CancellationToken.None);
        await app.Table.TryWriteAsync(Vector("pears.jpg", 2), null, CancellationToken.None);
        // Another model's vector in another range: skipped, and counted once the ranges are joined.
        await app.Table.TryWriteAsync(Vector("apple.jpg", 3) with { ModelId = "other" }, null, CancellationToken.None);
        var loaded = await app.Table.Matrices.ReadAsync(Category, "m", CancellationToken.None);

        Assert.Equal(["pear.jpg", "pears.jpg"], loaded.Images.Select(image => image.ImageId));
        Assert.Equal(1, loaded.SkippedOtherModels);
        Assert.Equal(2, loaded.Matrix!.Count);
    }

    private static ProductVector Vector(string imageId, int seed) =>
        new(Category, imageId, "p" + seed, "u", "m", "\"v1\"", DateTimeOffset.UnixEpoch, [seed, 1f, -seed / 2f]);
}
