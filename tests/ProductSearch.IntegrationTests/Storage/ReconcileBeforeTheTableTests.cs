using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;

namespace ProductSearch.IntegrationTests.Storage;

/// <summary>
/// A brand-new shop whose first photos landed before anything was indexed: blobs in the container, no vector
/// table yet. The reconciliation timer must neither fail (a red execution) nor create anything for blobs the
/// trigger still has time to index; once they are past the grace period it indexes them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReconcileBeforeTheTableTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        foreach (var shot in new[] { 0, 1 })
        {
            await _app.Container.GetBlobClient($"first-shop/p-{shot}.jpg").UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(0, shot)));
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ReconciliationWithBlobsButNoTable_DoesNothingAndFailsNothing()
    {
        Assert.False(await TableExistsAsync(_app.TableName));

        var report = await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);
        await _app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal((0, 0, 0, 0), (report.VectorsRemoved, report.LogRowsTrimmed, report.MissedIndexed, report.MissedLeft));
        Assert.False(await TableExistsAsync(_app.TableName));
    }

    [Fact]
    public async Task BlobsPastTheGracePeriod_AreIndexedIntoANewTable()
    {
        _time.Advance(TimeSpan.FromMinutes(2));

        var report = await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal(2, report.MissedIndexed);
        Assert.Equal(2, (await _app.ImageRowsAsync("first-shop")).Count);
    }

    private async Task<bool> TableExistsAsync(string name) =>
        await _app.Services.GetRequiredService<TableServiceClient>().QueryAsync(table => table.Name == name).AnyAsync();
}
