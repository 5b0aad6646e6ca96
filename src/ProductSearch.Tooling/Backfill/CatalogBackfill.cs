using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using ProductSearch.Indexing;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Backfill;

/// <summary>
/// Indexes images that are already in the container (uploaded before the app ran, or while it was down,
/// or for another model's table) through the same <see cref="ProductImageIndexer"/> as the blob trigger.
/// Resumable and idempotent without any state of its own: the indexer skips blob versions already indexed,
/// so a second run, or a run after an interrupted one, writes only what is missing or changed. A row whose CNN vector
/// is current but which lacks the model's colour descriptor or a thumbnail gets them alone, decoded without inference.
/// </summary>
public sealed class CatalogBackfill
{
    private readonly BlobContainerClient _images;
    private readonly ProductImageIndexer _indexer;
    private readonly IndexingFailureTable _failures;
    private readonly ILogger<CatalogBackfill> _logger;
    private readonly TimeProvider _time;

    public CatalogBackfill(
        BlobContainerClient images, ProductImageIndexer indexer, IndexingFailureTable failures, TimeProvider time, ILogger<CatalogBackfill> logger)
    {
        _time = time;
        _images = images;
        _indexer = indexer;
        _failures = failures;
        _logger = logger;
    }

    /// <summary>
    /// The container's blobs (name and ETag), all of them or one category folder's, in name order, listed folder by
    /// folder: a folder storage will not list is returned as a failure, and the others are listed all the same.
    /// </summary>
    public async Task<(IReadOnlyList<(string Name, string ETag)> Blobs, IReadOnlyList<ListingFailure> Failures)> ListBlobsAsync(
        string? category, CancellationToken cancellationToken)
    {
        var blobs = new List<(string Name, string ETag)>();
        var failures = new List<ListingFailure>();
        IReadOnlyList<string> folders;
        if (category is null)
        {
            // The top level itself is one listing: if storage will not give it, the command fails as a whole.
            var top = await ContainerFolders.ListTopLevelAsync(_images, cancellationToken);
            blobs.AddRange(top.RootBlobs.Select(b => (b.Name, BlobETags.Bare(b.Properties.ETag?.ToString()))));
            folders = top.Folders;
        }
        else
        {
            folders = [category];
        }

        foreach (var folder in folders)
        {
            try
            {
                await foreach (var blob in ContainerFolders.ListFolderAsync(_images, folder, cancellationToken))
                {
                    blobs.Add((blob.Name, BlobETags.Bare(blob.Properties.ETag?.ToString())));
                }
            }
            catch (Exception e) when (ContainerFolders.IsListingFailure(e))
            {
                _logger.LogWarning(e, "Could not list {Folder}/; the other folders go on", CatalogNames.Shown(folder));
                failures.Add(new ListingFailure(folder, ContainerFolders.Describe(e)));
            }
        }

        blobs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (blobs, failures);
    }

    /// <summary>
    /// Lists, then indexes <paramref name="parallelism"/> images at a time. One image's error never stops the
    /// others: it is reported with its reason, and the next run retries it.
    /// </summary>
    public async Task<BackfillReport> RunAsync(
        string? category, int parallelism, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var started = _time.GetTimestamp();
        var (blobs, listingFailures) = await ListBlobsAsync(category, cancellationToken);
        progress?.Report(new BackfillProgress(0, blobs.Count));
        var refused = await ReadRefusedVersionsAsync(blobs, cancellationToken);

        var outcomes = new ConcurrentDictionary<IndexOutcome, int>();
        var failures = new ConcurrentBag<BackfillFailure>();
        var done = 0;
        var thumbnailsFilled = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(blobs, options, async (blob, token) =>
        {
            // The same bytes were refused before: decoding them again would only refuse them again.
            var failure = refused.TryGetValue(blob, out var earlier)
                ? new BackfillFailure(blob.Name, earlier, Transient: false, RefusedEarlier: true, ForItsName: CatalogNames.BlobNameProblem(blob.Name) is not null)
                : await IndexOneAsync(blob.Name, outcomes, () => Interlocked.Increment(ref thumbnailsFilled), token);
            if (failure is not null)
            {
                failures.Add(failure);
            }

            progress?.Report(new BackfillProgress(Interlocked.Increment(ref done), blobs.Count));
        });

        var report = new BackfillReport(
            blobs.Count,
            outcomes.GetValueOrDefault(IndexOutcome.Indexed),
            outcomes.GetValueOrDefault(IndexOutcome.AlreadyCurrent),
            outcomes.GetValueOrDefault(IndexOutcome.Superseded),
            outcomes.GetValueOrDefault(IndexOutcome.Gone),
            [.. failures.OrderBy(f => f.BlobName, StringComparer.Ordinal)],
            outcomes.GetValueOrDefault(IndexOutcome.ColourFilled),
            listingFailures,
            thumbnailsFilled);
        _logger.LogInformation(
            "Backfilled {Category}: {Listed} images listed, {Indexed} indexed, {ColourFilled} given colour, {ThumbnailsFilled} given a thumbnail, {AlreadyCurrent} already current, {Failed} failed, {FoldersNotListed} folders not listed, in {ElapsedMs} ms",
            category ?? "(all categories)", report.Listed, report.Indexed, report.ColourFilled, report.ThumbnailsFilled, report.AlreadyCurrent, report.Failures.Count, listingFailures.Count,
            _time.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>
    /// Blob versions the failures table already holds, with their reason: one partition query per category listed, and
    /// one for the names refused when a listed name breaks a rule.
    /// </summary>
    private async Task<Dictionary<(string Name, string ETag), string>> ReadRefusedVersionsAsync(
        IReadOnlyList<(string Name, string ETag)> blobs, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<(string, string), string>();
        var categories = blobs.Select(b => CatalogNames.Parse(b.Name)?.Category).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var category in categories.Where(CatalogNames.IsValidCategory))
        {
            foreach (var failure in await _failures.ReadCategoryAsync(category, cancellationToken))
            {
                refused[($"{category}/{failure.ImageId}", BlobETags.Bare(failure.BlobETag))] = $"{failure.Reason}: {failure.Message}";
            }
        }

        if (blobs.Any(b => CatalogNames.BlobNameProblem(b.Name) is not null))
        {
            foreach (var failure in await _failures.ReadInvalidNamesAsync(_images.Name, cancellationToken))
            {
                refused[(failure.BlobName, BlobETags.Bare(failure.BlobETag))] = $"{failure.Reason}: {failure.Message}";
            }
        }

        return refused;
    }

    private async Task<BackfillFailure?> IndexOneAsync(
        string name, ConcurrentDictionary<IndexOutcome, int> outcomes, Action thumbnailFilled, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _indexer.IndexAsync(_images.GetBlobClient(name), cancellationToken);
            outcomes.AddOrUpdate(result.Outcome, 1, (_, n) => n + 1);
            if (result.WroteThumbnail)
            {
                thumbnailFilled();
            }

            return result.Outcome == IndexOutcome.Rejected
                ? new BackfillFailure(
                    name, await DescribeRejectionAsync(result, cancellationToken), Transient: false,
                    ForItsName: result.Reason == IndexingFailureTable.InvalidNameReason)
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The indexer records every problem in an image's bytes and returns; what it throws comes from storage
            // or the network (which a later run may get past) or is a fault of ours, which running again will not fix.
            _logger.LogWarning(e, "Could not index {BlobName}", name);
            return new BackfillFailure(name, $"{e.GetType().Name}: {FirstLine(e.Message)}", Transient: IsStorageOrNetworkFault(e));
        }
    }

    /// <summary>The indexer returns the reason's name; the failures table has the sentence a shop can act on.</summary>
    private async Task<string> DescribeRejectionAsync(IndexResult result, CancellationToken cancellationToken)
    {
        if (result.Message is { } rule)
        {
            return $"{result.Reason}: {rule}"; // a name's rule: its row is not under the category's key
        }

        var recorded = result.Category.Length > 0 ? await _failures.GetAsync(result.Category, result.ImageId, cancellationToken) : null;
        return recorded is null ? result.Reason ?? "rejected" : $"{recorded.Reason}: {recorded.Message}";
    }

    /// <summary>Faults of the way to storage, not of the image: throttling, outages, timeouts, broken connections.</summary>
    internal static bool IsStorageOrNetworkFault(Exception e) =>
        e is RequestFailedException or IOException or HttpRequestException or TimeoutException or OperationCanceledException
        || (e.InnerException is { } inner && IsStorageOrNetworkFault(inner));

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
