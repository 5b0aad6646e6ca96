using Azure.Data.Tables;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class ProductVectorTableTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AFlattenedVgg16VectorRoundTripsThroughTwoBinaryProperties()
    {
        await using var app = new FunctionAppHarness(azurite);
        var random = new Random(25_088);
        var vector = Enumerable.Range(0, 25_088).Select(_ => (float)random.NextDouble()).ToArray();
        var written = new ProductVector("men-tees", "summer/ms01 #1.jpg", "MS01", "http://x", "vgg16-imagenet-flatten", "\"0x1\"", DateTimeOffset.UnixEpoch, vector);

        Assert.True(await app.Table.TryWriteAsync(written, expected: null, CancellationToken.None));
        var read = await app.Table.GetAsync("men-tees", "summer/ms01 #1.jpg", CancellationToken.None);
        var entity = (await app.Table.Client.GetEntityAsync<TableEntity>("men-tees", TableKeyCodec.Encode("summer/ms01 #1.jpg"))).Value;

        Assert.Equal(2, entity.GetInt32("VectorParts"));
        Assert.Equal(vector, read!.Vector);
        Assert.Equal(written with { Vector = read.Vector, BlobLastModified = read.BlobLastModified }, read);
    }

    [Fact]
    public async Task AWriteConditionalOnAStaleVersionIsRefusedAndLeavesTheRowAsItWas()
    {
        await using var app = new FunctionAppHarness(azurite);
        var first = new ProductVector("c", "i.jpg", "p", "u", "m", "\"v1\"", DateTimeOffset.UnixEpoch, [1f, 0f]);
        Assert.True(await app.Table.TryWriteAsync(first, null, CancellationToken.None));
        var stale = await app.Table.GetVersionAsync("c", "i.jpg", CancellationToken.None);
        Assert.True(await app.Table.TryWriteAsync(first with { BlobETag = "\"v2\"", Vector = [0f, 1f] }, stale, CancellationToken.None));

        var refused = await app.Table.TryWriteAsync(first with { BlobETag = "\"v3\"", Vector = [0.6f, 0.8f] }, stale, CancellationToken.None);
        var again = await app.Table.TryWriteAsync(first with { BlobETag = "\"v4\"" }, expected: null, CancellationToken.None);

        Assert.False(refused);
        Assert.False(again);
        var row = await app.Table.GetAsync("c", "i.jpg", CancellationToken.None);
        Assert.Equal("\"v2\"", row!.BlobETag);
        Assert.Equal([0f, 1f], row.Vector);
        Assert.Equal(2, (await app.Table.ChangeLog.ReadAsync("c", 0, CancellationToken.None)).Count);
    }
}
