using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Indexing;
using ProductSearch.Storage;
using ProductSearch.Telemetry;

namespace ProductSearch.Maintenance;

/// <summary>
/// Brings the table back in line with the images container, in both directions. Removes the vectors (and
/// failure rows) of images whose blob is gone: the blob trigger only fires on creates and updates, so without
/// this a deleted photo stays searchable. Indexes, with the indexer's own code, blobs the trigger missed (a
/// polling scan misses blobs written within the same second as its high-water mark; Event Grid deliveries can
/// fail): a blob whose current version has neither a vector nor a failure row. Removals go through the table's
/// change log, so caches drop them within the staleness bound; change-log rows past their retention are deleted
/// on the same pass. Shared by the timer function and the CLI.
/// </summary>
public sealed class CatalogReconciler
{
    private readonly ProductVectorTable _table;
    private readonly IndexingFailureTable _failures;
    private readonly BlobContainerClient _images;
    private readonly ProductImageIndexer _indexer;
    private readonly ThumbnailStore _thumbnails;
    private readonly ReconcileOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CatalogReconciler> _logger;

    public CatalogReconciler(
        ProductVectorTable table,
        IndexingFailureTable failures,
        BlobContainerClient images,
        ProductImageIndexer indexer,
        ThumbnailStore thumbnails,
        IOptions<ReconcileOptions> options,
        TimeProvider time,
        ILogger<CatalogReconciler> logger)
    {
        _table = table;
        _failures = failures;
        _images = images;
        _indexer = indexer;
        _thumbnails = thumbnails;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Every category with rows in the table or a folder in the container, one after another. The repair time
    /// budget is for the whole pass.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var categories = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var category in _table.ListCategoriesAsync(cancellationToken))
        {
            categories.Add(category);
        }

        var total = ReconcileReport.Empty;
        try
        {
            await foreach (var category in ContainerFolders.ListCategoriesAsync(_images, cancellationToken))
            {
                categories.Add(category);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing uploaded, nothing to repair.
        }
        catch (Exception e) when (ContainerFolders.IsListingFailure(e))
        {
            // The table's categories can still be reconciled, each with its own listing.
            _logger.LogWarning(e, "Could not list the category folders; reconciling the table's categories only");
            total = total with { FoldersNotListed = 1 };
        }

        foreach (var category in categories)
        {
            total = total.Add(await ReconcileCategoryAsync(category, started, cancellationToken));
        }

        return total.Add(await ClearNamesOfDeletedBlobsAsync(cancellationToken));
    }

    /// <inheritdoc cref="ReconcileCategoryAsync(string, long, CancellationToken)"/>
    public Task<ReconcileReport> ReconcileCategoryAsync(string category, CancellationToken cancellationToken) =>
        ReconcileCategoryAsync(category, _time.GetTimestamp(), cancellationToken);

    /// <summary>
    /// Lists the category's blobs first (one request per 5000 names, with their ETags), then pages through its
    /// rows (names and blob ETags, no vectors) and reads its failure rows. A row whose blob the listing lacks is
    /// confirmed with a point check before it is deleted, so an image uploaded after the listing is never touched;
    /// the delete is conditional on the row version read, so one re-indexed meanwhile survives too. A listed blob
    /// whose version no row names is indexed; so the cost grows with the blobs listed, and only missed ones are read.
    /// </summary>
    private async Task<ReconcileReport> ReconcileCategoryAsync(string category, long started, CancellationToken cancellationToken)
    {
        Dictionary<string, ListedBlob> blobs;
        try
        {
            blobs = await ListBlobsAsync(category, cancellationToken);
        }
        catch (Exception e) when (ContainerFolders.IsListingFailure(e))
        {
            // Without the listing nothing can be told deleted or missed: the category waits, the others go on.
            _logger.LogWarning(e, "Could not list {Category}/; it is left for the next run: {Reason}", category, ContainerFolders.Describe(e));
            return ReconcileReport.Empty with { FoldersNotListed = 1 };
        }

        var indexedVersions = new Dictionary<string, string>(StringComparer.Ordinal);
        var (checkedCount, removed) = (0, 0);
        await foreach (var page in _table.ReadImageKeyPagesAsync(category, _options.PageSize, cancellationToken))
        {
            checkedCount += page.Count;
            foreach (var key in page)
            {
                indexedVersions[key.ImageId] = BlobETags.Bare(key.BlobETag);
            }

            var missing = await ConfirmMissingAsync(page.Where(k => !blobs.ContainsKey(k.ImageId)), k => $"{category}/{k.ImageId}", cancellationToken);
            foreach (var key in missing)
            {
                if (await _table.DeleteIfUnchangedAsync(category, key.ImageId, key.EntityETag, cancellationToken))
                {
                    await _thumbnails.DeleteAllAsync(category, key.ImageId, cancellationToken);
                    removed++;
                    _logger.LogInformation("Removed the vector of deleted image {Category}/{ImageId}", category, key.ImageId);
                }
            }
        }

        var failures = await _failures.ReadCategoryAsync(category, cancellationToken);
        var staleFailures = await ConfirmMissingAsync(failures.Where(f => !blobs.ContainsKey(f.ImageId)), f => $"{category}/{f.ImageId}", cancellationToken);
        foreach (var failure in staleFailures)
        {
            await _failures.ClearAsync(category, failure.ImageId, cancellationToken);
        }

        var (found, indexed, left) = _options.RepairMissed
            ? await RepairMissedAsync(category, MissedBlobs(blobs, indexedVersions, failures), started, cancellationToken)
            : (0, 0, 0);

        var trimmed = await _table.ChangeLog.TrimAsync(category, cancellationToken);
        if (removed > 0 || staleFailures.Count > 0 || trimmed > 0 || found > 0)
        {
            _logger.LogInformation(
                "Reconciled {Category}: {Checked} vectors checked, {Removed} of deleted images removed, {FailuresCleared} failure rows cleared, {Trimmed} old change-log rows deleted, {MissedFound} missed blobs found, {MissedIndexed} indexed, {MissedLeft} left for the next run",
                category, checkedCount, removed, staleFailures.Count, trimmed, found, indexed, left);
        }

        return new ReconcileReport(1, checkedCount, removed, staleFailures.Count, trimmed, found, indexed, left);
    }

    /// <summary>
    /// Listed blobs whose current version has no vector and no failure row, old enough that the trigger had its
    /// chance. Every refusal is final for its version: a decode's limit counts its own work, not time spent waiting for a
    /// decoder or a core, so a busy instance does not cause one.
    /// </summary>
    private List<string> MissedBlobs(
        Dictionary<string, ListedBlob> blobs, Dictionary<string, string> indexedVersions, List<IndexingFailure> failures)
    {
        var refused = failures
            .ToDictionary(f => f.ImageId, f => BlobETags.Bare(f.BlobETag), StringComparer.Ordinal);
        var settledBefore = _time.GetUtcNow() - _options.RepairGracePeriod;
        return [.. blobs
            .Where(b => b.Value.LastModified <= settledBefore && CatalogNames.IsValidImageId(b.Key))
            .Where(b => indexedVersions.GetValueOrDefault(b.Key) != b.Value.ETag && refused.GetValueOrDefault(b.Key) != b.Value.ETag)
            .Select(b => b.Key)
            .Order(StringComparer.Ordinal)];
    }

    private async Task<(int Found, int Indexed, int Left)> RepairMissedAsync(
        string category, List<string> missed, long started, CancellationToken cancellationToken)
    {
        var (indexed, left) = (0, 0);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRepairs, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missed, parallel, async (imageId, token) =>
        {
            var outcome = "left";
            if (_time.GetElapsedTime(started) < _options.RepairTimeBudget)
            {
                try
                {
                    var result = await _indexer.IndexAsync(_images.GetBlobClient($"{category}/{imageId}"), token);
                    outcome = result.Outcome == IndexOutcome.Indexed ? "indexed" : result.Outcome == IndexOutcome.Rejected ? "rejected" : "settled";
                    if (result.Outcome == IndexOutcome.Indexed)
                    {
                        Interlocked.Increment(ref indexed);
                        _logger.LogInformation("Repaired {Category}/{ImageId}: indexed a blob the trigger missed", category, imageId);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // A storage fault: this image stays missing until the next run, the others go on.
                    _logger.LogWarning(e, "Could not repair {Category}/{ImageId}; the next run tries again", category, imageId);
                }
            }

            if (outcome == "left")
            {
                Interlocked.Increment(ref left);
            }

            ProductSearchTelemetry.ReconcileRepairs.Add(
                1,
                new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Category, category),
                new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Outcome, outcome));
        });
        return (missed.Count, indexed, left);
    }

    private async Task<Dictionary<string, ListedBlob>> ListBlobsAsync(string category, CancellationToken cancellationToken)
    {
        var prefix = category + "/";
        var blobs = new Dictionary<string, ListedBlob>(StringComparer.Ordinal);
        await foreach (var blob in ContainerFolders.ListFolderAsync(_images, category, cancellationToken))
        {
            blobs[blob.Name[prefix.Length..]] = new ListedBlob(
                BlobETags.Bare(blob.Properties.ETag?.ToString()), blob.Properties.LastModified ?? DateTimeOffset.MinValue);
        }

        return blobs;
    }

    /// <summary>
    /// The rows of blobs refused for their names whose blob is gone, removed: one partition query per pass and a point
    /// check per row. Such blobs are never indexed or retried here (a listing skips them, or never reaches them).
    /// </summary>
    private async Task<ReconcileReport> ClearNamesOfDeletedBlobsAsync(CancellationToken cancellationToken)
    {
        var refused = await _failures.ReadInvalidNamesAsync(_images.Name, cancellationToken);
        var gone = await ConfirmMissingAsync(refused, f => f.BlobName, cancellationToken);
        foreach (var failure in gone)
        {
            await _failures.ClearInvalidNameAsync(_images.Name, failure.BlobName, cancellationToken);
            _logger.LogInformation("Cleared the name failure of deleted blob {BlobName}", CatalogNames.Shown(failure.BlobName));
        }

        return ReconcileReport.Empty with { FailuresCleared = gone.Count };
    }

    private async Task<List<T>> ConfirmMissingAsync<T>(IEnumerable<T> candidates, Func<T, string> blobNameOf, CancellationToken cancellationToken)
    {
        var missing = new ConcurrentBag<T>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentChecks, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, parallel, async (candidate, token) =>
        {
            if (!(await _images.GetBlobClient(blobNameOf(candidate)).ExistsAsync(token)).Value)
            {
                missing.Add(candidate);
            }
        });
        return [.. missing];
    }

    private sealed record ListedBlob(string ETag, DateTimeOffset LastModified);
}
