using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Features;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Storage;

/// <summary>
/// The change log must not grow forever, and trimming it must never make a cache miss a change: rows past the
/// retention go, and a cache that has not polled for half the retention loads the category again.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChangeLogRetentionTests(AzuriteFixture azurite)
{
    private const string Category = "retention";
    private static readonly ModelDescriptor Model = ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json"));

    [Fact]
    public async Task TrimDeletesOnlyLogRowsPastTheRetention()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.EnsureCreatedAsync();
        var twoDaysAgo = TableAt(app, TimeSpan.FromDays(-2));
        await twoDaysAgo.TryWriteAsync(Vector("old-1.jpg"), null, CancellationToken.None);
        await twoDaysAgo.TryWriteAsync(Vector("old-2.jpg"), null, CancellationToken.None);
        await twoDaysAgo.DeleteAsync(Category, "old-2.jpg", CancellationToken.None);
        await app.Table.TryWriteAsync(Vector("new.jpg"), null, CancellationToken.None);

        var trimmed = await app.Table.ChangeLog.TrimAsync(Category, CancellationToken.None);
        var again = await app.Table.ChangeLog.TrimAsync(Category, CancellationToken.None);

        Assert.Equal((3, 0), (trimmed, again));
        var changes = await app.Table.ChangeLog.ReadAsync(Category, 0, CancellationToken.None);
        Assert.Equal("new.jpg", Assert.Single(changes).ImageId);
        // Image rows are never touched, however old.
        Assert.NotNull(await app.Table.GetAsync(Category, "old-1.jpg", CancellationToken.None));
        Assert.NotNull(await app.Table.GetAsync(Category, "new.jpg", CancellationToken.None));
    }

    [Fact]
    public async Task TrimDeletesMoreThanOneTransactionOfRows()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.EnsureCreatedAsync();
        const int Rows = 250;
        for (var i = 0; i < Rows; i += 100)
        {
            var batch = Enumerable.Range(i, Math.Min(100, Rows - i))
                .Select(n => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(Category, $"{ChangeLog.RowKeyPrefix}{n + 1:D19}~x")))
                .ToList();
            await app.Table.Client.SubmitTransactionAsync(batch);
        }

        Assert.Equal(Rows, await app.Table.ChangeLog.TrimAsync(Category, CancellationToken.None));
        Assert.Empty(await app.Table.ChangeLog.ReadAsync(Category, 0, CancellationToken.None));
    }

    [Fact]
    public async Task ACacheIdleForHalfTheRetentionLoadsAgainInsteadOfMissingATrimmedChange()
    {
        await using var app = new FunctionAppHarness(azurite);
        await app.Table.EnsureCreatedAsync();
        await app.Table.TryWriteAsync(Vector("a.jpg"), null, CancellationToken.None);
        var clock = new ShiftedTimeProvider();
        using var cache = new CategoryVectorCache(
            app.Table, Model, Options.Create(new SearchOptions()), clock, NullLogger<CategoryVectorCache>.Instance);
        var before = await cache.GetAsync(Category, CancellationToken.None);

        // An image arrives, and its log row is trimmed before the cache polls again (a day and more later).
        await app.Table.TryWriteAsync(Vector("b.jpg"), null, CancellationToken.None);
        Assert.Equal(2, await TableAt(app, TimeSpan.FromDays(2)).ChangeLog.TrimAsync(Category, CancellationToken.None));
        clock.Shift = TimeSpan.FromHours(13);
        var after = await cache.GetAsync(Category, CancellationToken.None);

        Assert.NotSame(before, after);
        Assert.Equal(1, before!.Count);
        Assert.Equal(2, after!.Count);
        Assert.NotNull(after.GetVector("b.jpg"));
    }

    private static ProductVectorTable TableAt(FunctionAppHarness app, TimeSpan shift) => new(
        new TableServiceClient(app.Configuration["ProductStorage"]),
        Options.Create(new StorageOptions { VectorTable = app.TableName }),
        new ShiftedTimeProvider { Shift = shift });

    private static ProductVector Vector(string imageId) =>
        new(Category, imageId, imageId, "u", Model.Id, "\"v1\"", DateTimeOffset.UnixEpoch, [0.6f, 0.8f]);
}
