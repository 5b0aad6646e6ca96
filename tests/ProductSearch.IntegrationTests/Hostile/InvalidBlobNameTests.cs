using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// Blobs the catalogue cannot hold because of their names, through the trigger's indexer: each gets one failure row
/// with the rule it breaks, under the failures table's partition for names, and never a vector.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InvalidBlobNameTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The names, by a label the test's name can show, with the sentence each is refused with.</summary>
    public static readonly IReadOnlyDictionary<string, (string BlobName, string Rule)> Cases = new Dictionary<string, (string, string)>
    {
        ["tab"] = ("shoes/a\tb.jpg", "The name contains a control character (U+0009)."),
        ["U+0001"] = ("shoes/a\u0001b.jpg", "The name contains a control character (U+0001)."),
        ["1000 characters"] = ("shoes/" + new string('n', 1000), "The name is 1,000 characters: the limit is 512."),
        ["304 x é"] = ("shoes/" + new string('é', 304),
            "The name is too long once stored: its 304 characters take 1,824 of at most 1,024 (a character outside ASCII takes 6 to 12)."),
        ["container root"] = ("root.jpg", "The blob is at the container root: upload it as <category>/<name>."),
        ["cat#1"] = ("cat#1/a.jpg", "The category 'cat#1' may contain only letters, digits, space, '.', '_' and '-': '#' is none of these."),
        ["what?cat"] = ("what?cat/a.jpg", "The category 'what?cat' may contain only letters, digits, space, '.', '_' and '-': '?' is none of these."),
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    private ProductImageIndexer Indexer => _app.Services.GetRequiredService<ProductImageIndexer>();

    public Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ABlobRefusedForItsNameGetsAFailureRowWithTheRuleItBreaks(string label)
    {
        var (name, rule) = Cases[label];
        var blob = await UploadAsync(name);

        var result = await Indexer.IndexAsync(blob, CancellationToken.None);

        Assert.Equal(IndexOutcome.Rejected, result.Outcome);
        Assert.Equal(IndexingFailureTable.InvalidNameReason, result.Reason);
        Assert.Equal(rule, result.Message);
        var row = await _app.Failures().GetInvalidNameAsync(_app.ContainerName, name, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(name, row.BlobName);
        Assert.Equal(rule, row.Message);
        Assert.Equal(IndexingFailureTable.InvalidNameReason, row.Reason);
        Assert.Equal((await blob.ETagOfAsync()).ToString(), row.BlobETag);
    }

    [Fact]
    public async Task TheSameVersionDeliveredAgainIsRecordedOnce()
    {
        var blob = await UploadAsync(Cases["cat#1"].BlobName);
        await Indexer.IndexAsync(blob, CancellationToken.None);
        var first = await _app.Failures().GetInvalidNameAsync(_app.ContainerName, blob.Name, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));

        var again = await Indexer.IndexAsync(blob, CancellationToken.None);

        Assert.Equal(IndexOutcome.Rejected, again.Outcome);
        var rows = await _app.Failures().ReadInvalidNamesAsync(_app.ContainerName, CancellationToken.None);
        Assert.Equal(first!.FailedAt, Assert.Single(rows).FailedAt); // not written again
    }

    [Fact]
    public async Task ANewVersionOfTheBlobReplacesTheRowOfTheOldOne()
    {
        var blob = await UploadAsync(Cases["tab"].BlobName);
        await Indexer.IndexAsync(blob, CancellationToken.None);
        await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(1, 0)), overwrite: true);

        await Indexer.IndexAsync(blob, CancellationToken.None);

        var row = Assert.Single(await _app.Failures().ReadInvalidNamesAsync(_app.ContainerName, CancellationToken.None));
        Assert.Equal((await blob.ETagOfAsync()).ToString(), row.BlobETag);
    }

    [Fact]
    public async Task ABlobRefusedForItsNameAndThenDeletedLosesItsRow()
    {
        var blob = await UploadAsync(Cases["container root"].BlobName);
        await Indexer.IndexAsync(blob, CancellationToken.None);
        await blob.DeleteAsync();

        var result = await Indexer.IndexAsync(blob, CancellationToken.None);

        Assert.Equal(IndexOutcome.Gone, result.Outcome);
        Assert.Empty(await _app.Failures().ReadInvalidNamesAsync(_app.ContainerName, CancellationToken.None));
    }

    [Fact]
    public async Task RowsOfNamesAreKeptApartPerContainer()
    {
        var blob = await UploadAsync(Cases["what?cat"].BlobName);
        await Indexer.IndexAsync(blob, CancellationToken.None);

        Assert.Single(await _app.Failures().ReadInvalidNamesAsync(_app.ContainerName, CancellationToken.None));
        Assert.Empty(await _app.Failures().ReadInvalidNamesAsync("another-container", CancellationToken.None));
    }

    [Fact]
    public async Task ReconciliationClearsTheRowOfADeletedBlobAndLeavesTheOthersUntried()
    {
        await _app.UploadAndIndexAsync("shoes", "good.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        var names = new[] { Cases["tab"].BlobName, Cases["container root"].BlobName, Cases["cat#1"].BlobName };
        foreach (var name in names)
        {
            await Indexer.IndexAsync(await UploadAsync(name), CancellationToken.None);
        }

        await _app.Container.DeleteBlobAsync(Cases["container root"].BlobName);
        _time.Advance(TimeSpan.FromMinutes(2)); // past the repair grace period: every blob is old enough to be repaired

        var report = await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal(1, report.FailuresCleared);
        Assert.Equal(0, report.MissedFound); // the tab's name is refused, not a missed upload to try again
        var left = await _app.Failures().ReadInvalidNamesAsync(_app.ContainerName, CancellationToken.None);
        Assert.Equal([Cases["cat#1"].BlobName, Cases["tab"].BlobName], left.Select(f => f.BlobName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReconciliationGoesOnPastACategoryStorageCannotList()
    {
        await UploadAsync("a-first/missed.jpg");
        await UploadAsync("b-broken/a\u0001b.jpg"); // Azurite answers the listing of b-broken/ with an empty 500
        await UploadAsync("c-last/missed.jpg");
        _time.Advance(TimeSpan.FromMinutes(2));

        var report = await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal(1, report.FoldersNotListed);
        Assert.Equal(2, report.MissedIndexed);
        Assert.NotNull(await _app.VectorRowAsync("a-first", "missed.jpg"));
        Assert.NotNull(await _app.VectorRowAsync("c-last", "missed.jpg"));
    }

    private async Task<BlobClient> UploadAsync(string name)
    {
        var blob = _app.Container.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(0, 0)), overwrite: true);
        return blob;
    }
}
