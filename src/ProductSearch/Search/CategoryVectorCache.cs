using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Features;
using ProductSearch.Storage;
using ProductSearch.Telemetry;

namespace ProductSearch.Search;

/// <summary>
/// Categories loaded once into memory and kept fresh by polling their change log at most once per
/// staleness interval. Why a log rather than reloading or filtering on Timestamp: a poll is one indexed
/// range query whatever the category's size (a Timestamp filter scans the partition server-side), and
/// a change costs one point read, so staying fresh grows with the changes, never with N.
/// </summary>
public sealed class CategoryVectorCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedCategory>>> _categories = new(StringComparer.Ordinal);
    private readonly ProductVectorTable _table;
    private readonly ModelDescriptor _model;
    private readonly SearchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CategoryVectorCache> _logger;

    public CategoryVectorCache(
        ProductVectorTable table, ModelDescriptor model, IOptions<SearchOptions> options, TimeProvider time, ILogger<CategoryVectorCache> logger)
    {
        _table = table;
        _model = model;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private TimeSpan Staleness => TimeSpan.FromSeconds(_options.StalenessSeconds);

    private long LookbackTicks => TimeSpan.FromSeconds(_options.ChangeLogLookbackSeconds).Ticks;

    /// <summary>The category's index, no staler than the staleness bound; null when it holds no vector of our model.</summary>
    public async Task<CategoryIndex?> GetAsync(string category, CancellationToken cancellationToken)
    {
        var lazy = _categories.GetOrAdd(category, c => new Lazy<Task<CachedCategory>>(() => LoadAsync(c)));
        CachedCategory cached;
        try
        {
            cached = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed load is not cached: the next query tries again.
            _categories.TryRemove(new KeyValuePair<string, Lazy<Task<CachedCategory>>>(category, lazy));
            throw;
        }

        var (index, cursor) = cached;
        if (_time.GetUtcNow().UtcTicks - cursor.PolledThroughTicks > _table.ChangeLog.Retention.Ticks / 2)
        {
            // The log rows this index would read may have been trimmed: load the category again rather than miss a
            // change. Queries still holding the old index finish on it, so it is left to the GC rather than disposed.
            _categories.TryUpdate(category, new Lazy<Task<CachedCategory>>(() => LoadAsync(category)), lazy);
            return await GetAsync(category, cancellationToken);
        }

        if (_time.GetTimestamp() >= cursor.NextCheckTimestamp)
        {
            await RefreshAsync(index, cursor, cancellationToken);
        }

        if (index.Count == 0)
        {
            // Unknown names must not fill memory; an empty category is simply loaded again next time.
            _categories.TryRemove(new KeyValuePair<string, Lazy<Task<CachedCategory>>>(category, lazy));
            return null;
        }

        return index;
    }

    /// <summary>Reads the change log now and applies what changed; the first refresh after a load re-reads the lookback window.</summary>
    private async Task RefreshAsync(CategoryIndex index, ChangeLogCursor cursor, CancellationToken cancellationToken)
    {
        await cursor.RefreshGate.WaitAsync(cancellationToken);
        try
        {
            var started = _time.GetTimestamp();
            if (started < cursor.NextCheckTimestamp)
            {
                return; // Another caller refreshed while we waited.
            }

            using var activity = ProductSearchTelemetry.Source.StartActivity("RefreshCategory");
            activity?.SetTag(ProductSearchTelemetry.Attributes.Category, index.Category);
            var pollTicks = _time.GetUtcNow().UtcTicks;
            var changes = await _table.ChangeLog.ReadAsync(index.Category, cursor.PolledThroughTicks - LookbackTicks, cancellationToken);
            var fresh = changes.Where(c => !cursor.IsApplied(c.RowKey)).ToList();
            foreach (var imageId in fresh.Where(c => !c.IsProduct).Select(c => c.ImageId).Distinct(StringComparer.Ordinal))
            {
                // The log says what changed, the row says what it is now: re-reading makes applying twice harmless.
                index.Apply(imageId, await _table.GetAsync(index.Category, imageId, cancellationToken));
            }

            foreach (var productId in fresh.Where(c => c.IsProduct).Select(c => c.ProductId!).Distinct(StringComparer.Ordinal))
            {
                // Attributes only: a point read of the product's row, no vector and no model.
                index.ApplyProduct(productId, await _table.Products.GetAsync(index.Category, productId, cancellationToken));
            }

            cursor.Advance(fresh, pollTicks, forgetBeforeTicks: pollTicks - LookbackTicks);
            cursor.NextCheckTimestamp = started + (long)(Staleness.TotalSeconds * _time.TimestampFrequency);
            activity?.SetTag(ProductSearchTelemetry.Attributes.Changes, fresh.Count);
            if (fresh.Count > 0)
            {
                ProductSearchTelemetry.CacheRefreshChanges.Add(fresh.Count, new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Category, index.Category));
                _logger.LogInformation(
                    "Refreshed {Category}: {Changes} changes applied, {Count} vectors, in {ElapsedMs} ms",
                    index.Category, fresh.Count, index.Count, _time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            cursor.RefreshGate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _categories.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
        {
            lazy.Value.Result.Index.Dispose();
            lazy.Value.Result.Cursor.Dispose();
        }
    }

    private async Task<CachedCategory> LoadAsync(string category)
    {
        using var activity = ProductSearchTelemetry.Source.StartActivity("LoadCategory");
        activity?.SetTag(ProductSearchTelemetry.Attributes.Category, category);
        var started = _time.GetTimestamp();
        var colour = _model.Colour is { } c ? new ColourColumns(c.Id, c.Dimension) : (ColourColumns?)null;
        var index = new CategoryIndex(category, _model.Id, _options.ToRowFormat(), colour);
        // Everything logged from here on may be missing from the rows we read: the first refresh applies it.
        var cursor = new ChangeLogCursor(polledThroughTicks: _time.GetUtcNow().UtcTicks);
        index.Load(await _table.Matrices.ReadAsync(category, _model.Id, CancellationToken.None, colour: colour));

        cursor.NextCheckTimestamp = started + (long)(Staleness.TotalSeconds * _time.TimestampFrequency);
        var tag = new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Category, category);
        ProductSearchTelemetry.CacheLoadDuration.Record(_time.GetElapsedTime(started).TotalSeconds, tag);
        ProductSearchTelemetry.CacheLoadedVectors.Add(index.Count, tag);
        activity?.SetTag(ProductSearchTelemetry.Attributes.Vectors, index.Count);
        _logger.LogInformation(
            "Loaded {Category}: {Count} vectors of {ModelId} ({MatrixBytes} bytes), {Skipped} of other models skipped, {WithoutColour} without colour, in {ElapsedMs} ms",
            category, index.Count, _model.Id, index.MatrixBytes, index.SkippedOtherModels, index.WithoutColour, _time.GetElapsedTime(started).TotalMilliseconds);
        if (index.WithoutColour > 0)
        {
            _logger.LogWarning(
                "{Category} has {WithoutColour} of {Count} images without colour {ColourId}: it answers shape only until backfill fills them in",
                category, index.WithoutColour, index.Count, colour?.Id);
        }
        return new CachedCategory(index, cursor);
    }

    private sealed record CachedCategory(CategoryIndex Index, ChangeLogCursor Cursor);
}
