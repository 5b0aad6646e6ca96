using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Storage;

namespace ProductSearch.Maintenance;

/// <summary>
/// Removes the vectors (and failure rows) of images whose blob is gone. The blob trigger only fires on
/// creates and updates, so without this a deleted photo stays searchable. Removals go through the table's
/// change log, so caches drop them within the staleness bound; change-log rows past their retention are deleted
/// on the same pass. Shared by the timer function and the CLI.
/// </summary>
public sealed class DeletedImageReconciler
{
    private readonly ProductVectorTable _table;
    private readonly IndexingFailureTable _failures;
    private readonly BlobContainerClient _images;
    private readonly ReconcileOptions _options;
    private readonly ILogger<DeletedImageReconciler> _logger;

    public DeletedImageReconciler(
        ProductVectorTable table,
        IndexingFailureTable failures,
        BlobContainerClient images,
        IOptions<ReconcileOptions> options,
        ILogger<DeletedImageReconciler> logger)
    {
        _table = table;
        _failures = failures;
        _images = images;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Every category in the table, one after another.</summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        var total = ReconcileReport.Empty;
        await foreach (var category in _table.ListCategoriesAsync(cancellationToken))
        {
            total = total.Add(await ReconcileCategoryAsync(category, cancellationToken));
        }

        return total;
    }

    /// <summary>
    /// Lists the category's blobs first (one request per 5000 names), then pages through its rows. A row
    /// whose blob the listing lacks is confirmed with a point check before it is deleted, so an image
    /// uploaded after the listing is never touched; the delete is conditional on the row version read,
    /// so one re-indexed meanwhile survives too.
    /// </summary>
    public async Task<ReconcileReport> ReconcileCategoryAsync(string category, CancellationToken cancellationToken)
    {
        var existing = await ListImageIdsAsync(category, cancellationToken);
        var (checkedCount, removed) = (0, 0);
        await foreach (var page in _table.ReadImageKeyPagesAsync(category, _options.PageSize, cancellationToken))
        {
            checkedCount += page.Count;
            var missing = await ConfirmMissingAsync(category, page.Where(k => !existing.Contains(k.ImageId)), k => k.ImageId, cancellationToken);
            foreach (var key in missing)
            {
                if (await _table.DeleteIfUnchangedAsync(category, key.ImageId, key.EntityETag, cancellationToken))
                {
                    removed++;
                    _logger.LogInformation("Removed the vector of deleted image {Category}/{ImageId}", category, key.ImageId);
                }
            }
        }

        var failures = await _failures.ReadCategoryAsync(category, cancellationToken);
        var staleFailures = await ConfirmMissingAsync(category, failures.Where(f => !existing.Contains(f.ImageId)), f => f.ImageId, cancellationToken);
        foreach (var failure in staleFailures)
        {
            await _failures.ClearAsync(category, failure.ImageId, cancellationToken);
        }

        var trimmed = await _table.TrimChangeLogAsync(category, cancellationToken);
        if (removed > 0 || staleFailures.Count > 0 || trimmed > 0)
        {
            _logger.LogInformation(
                "Reconciled {Category}: {Checked} vectors checked, {Removed} of deleted images removed, {FailuresCleared} failure rows cleared, {Trimmed} old change-log rows deleted",
                category, checkedCount, removed, staleFailures.Count, trimmed);
        }

        return new ReconcileReport(1, checkedCount, removed, staleFailures.Count, trimmed);
    }

    private async Task<HashSet<string>> ListImageIdsAsync(string category, CancellationToken cancellationToken)
    {
        var prefix = category + "/";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in _images.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            ids.Add(blob.Name[prefix.Length..]);
        }

        return ids;
    }

    private async Task<List<T>> ConfirmMissingAsync<T>(
        string category, IEnumerable<T> candidates, Func<T, string> imageIdOf, CancellationToken cancellationToken)
    {
        var missing = new ConcurrentBag<T>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentChecks, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(candidates, parallel, async (candidate, token) =>
        {
            if (!(await _images.GetBlobClient($"{category}/{imageIdOf(candidate)}").ExistsAsync(token)).Value)
            {
                missing.Add(candidate);
            }
        });
        return [.. missing];
    }
}
