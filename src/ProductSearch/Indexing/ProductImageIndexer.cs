using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.Products;
using ProductSearch.Storage;
using ProductSearch.Telemetry;

namespace ProductSearch.Indexing;

/// <summary>
/// Blob in, vector row out: the code path of the blob trigger, the CLI backfill and the tests.
/// Idempotent (the row remembers the blob's ETag) and safe under races (writes are conditional on the
/// row it read, and an older blob version never overwrites a newer one).
/// Failure policy: a problem in the bytes is permanent, so it returns <see cref="IndexOutcome.Rejected"/>
/// with a row in the failures table and never throws (whatever the decoder failed with, and a decode that ran out
/// of time); only storage faults (down, throttled) throw, so the host retries them and finally parks the blob in
/// the poison queue.
/// </summary>
public sealed class ProductImageIndexer
{
    private const int MaxWriteAttempts = 4;

    private readonly ModelDescriptor _model;
    private readonly FeatureExtractorStartup _extractor;
    private readonly DecodeOnlyDescriber _describer;
    private readonly DecodeAdmission _admission;
    private readonly ProductVectorTable _table;
    private readonly IndexingFailureTable _failures;
    private readonly ThumbnailStore _thumbnails;
    private readonly ProductAttributeWriter _attributes;
    private readonly ILogger<ProductImageIndexer> _logger;
    private readonly TimeProvider _time;

    public ProductImageIndexer(
        ModelDescriptor model,
        FeatureExtractorStartup extractor,
        DecodeOnlyDescriber describer,
        DecodeAdmission admission,
        ProductVectorTable table,
        IndexingFailureTable failures,
        ThumbnailStore thumbnails,
        ProductAttributeWriter attributes,
        TimeProvider time,
        ILogger<ProductImageIndexer> logger)
    {
        _attributes = attributes;
        _admission = admission;
        _time = time;
        _thumbnails = thumbnails;
        _model = model;
        _extractor = extractor;
        _describer = describer;
        _table = table;
        _failures = failures;
        _logger = logger;
    }

    public async Task<IndexResult> IndexAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        using var activity = ProductSearchTelemetry.Source.StartActivity("IndexProductImage");
        var result = await IndexBlobAsync(blob, cancellationToken);
        var outcome = OutcomeName(result.Outcome);
        activity?.SetTag(ProductSearchTelemetry.Attributes.Category, result.Category);
        activity?.SetTag(ProductSearchTelemetry.Attributes.Outcome, outcome);
        activity?.SetTag(ProductSearchTelemetry.Attributes.Reason, result.Reason);
        ProductSearchTelemetry.IndexedImages.Add(
            1,
            new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Outcome, outcome),
            new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Reason, result.Reason));
        return result;
    }

    /// <summary>snake_case, as OpenTelemetry attribute values usually are.</summary>
    private static string OutcomeName(IndexOutcome outcome) => outcome switch
    {
        IndexOutcome.Indexed => "indexed",
        IndexOutcome.AlreadyCurrent => "already_current",
        IndexOutcome.ColourFilled => "colour_filled",
        IndexOutcome.ThumbnailFilled => "thumbnail_filled",
        IndexOutcome.Superseded => "superseded",
        IndexOutcome.Gone => "gone",
        _ => "rejected",
    };

    private async Task<IndexResult> IndexBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var rule = CatalogNames.BlobNameProblem(blob.Name);
        if (rule is not null || CatalogNames.Parse(blob.Name) is not var (category, imageId))
        {
            return await RefuseNameAsync(blob, rule ?? $"The blob name is not {CatalogNames.Layout}.", cancellationToken);
        }

        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await _table.DeleteAsync(category, imageId, cancellationToken);
            await _thumbnails.DeleteAllAsync(category, imageId, cancellationToken);
            await _failures.ClearAsync(category, imageId, cancellationToken);
            return new IndexResult(IndexOutcome.Gone, category, imageId);
        }

        var failureCleared = false;

        for (var attempt = 1; ; attempt++)
        {
            var stored = await _table.GetVersionAsync(category, imageId, cancellationToken);
            var etag = properties.ETag.ToString();
            if (stored is not null && stored.BlobETag == etag)
            {
                var missingColour = _model.Colour is { } colour && stored.ColourId != colour.Id;
                var missingThumbnail = _thumbnails.Encoding is not null && stored.Thumbnail is null;
                if (missingColour || missingThumbnail)
                {
                    return await FillAsync(blob, properties, category, imageId, stored, missingColour, missingThumbnail, cancellationToken);
                }

                _logger.LogInformation("Skipped {Category}/{ImageId}: version {ETag} is already indexed", category, imageId, etag);
                return new IndexResult(IndexOutcome.AlreadyCurrent, category, imageId);
            }

            if (stored is not null && stored.BlobLastModified > properties.LastModified)
            {
                return new IndexResult(IndexOutcome.Superseded, category, imageId);
            }

            ProductVector? vector;
            try
            {
                vector = await ExtractAsync(blob, properties, category, imageId, cancellationToken);
            }
            catch (ImageRejectedException e)
            {
                return await RejectAsync(category, imageId, properties, e, cancellationToken);
            }

            if (vector is null)
            {
                return new IndexResult(IndexOutcome.Superseded, category, imageId);
            }

            vector = await TakeAttributesAsync(vector, properties, cancellationToken);
            if (!failureCleared)
            {
                // Before the write: if the write then fails and is retried, the retry finds the vector
                // current and would never come back here to clear an earlier version's failure.
                await _failures.ClearAsync(category, imageId, cancellationToken);
                failureCleared = true;
            }

            if (await _table.TryWriteAsync(vector, stored, cancellationToken))
            {
                if (stored?.Thumbnail is { } replaced && replaced != vector.Thumbnail)
                {
                    // The row no longer names it, and a name is never reused for other bytes: nothing can serve it again.
                    await _thumbnails.DeleteAsync(replaced, cancellationToken);
                }

                _logger.LogInformation(
                    "Indexed {Category}/{ImageId} ({ModelId}, {Dimension}-d) in {ElapsedMs} ms",
                    category, imageId, vector.ModelId, vector.Vector.Length, _time.GetElapsedTime(started).TotalMilliseconds);
                return new IndexResult(IndexOutcome.Indexed, category, imageId);
            }

            if (attempt == MaxWriteAttempts)
            {
                throw new InvalidOperationException($"Gave up writing {category}/{imageId} after {attempt} conflicting writes.");
            }
        }
    }

    /// <summary>
    /// A name the catalogue cannot hold is a permanent refusal like bad bytes: recorded once per blob version, in the
    /// failures table's partition for names (the name may be no key at all), with the rule it breaks.
    /// </summary>
    private async Task<IndexResult> RefuseNameAsync(BlobClient blob, string rule, CancellationToken cancellationToken)
    {
        var slash = blob.Name.IndexOf('/', StringComparison.Ordinal);
        var (folder, rest) = slash > 0 ? (blob.Name[..slash], blob.Name[(slash + 1)..]) : ("", blob.Name);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await _failures.ClearInvalidNameAsync(blob.BlobContainerName, blob.Name, cancellationToken);
            return new IndexResult(IndexOutcome.Gone, folder, rest);
        }

        // The name goes to the log as shown to people: a raw control character could forge a log line.
        if (await _failures.RecordInvalidNameAsync(
            blob.BlobContainerName, blob.Name, properties.ETag.ToString(), properties.VersionId, properties.LastModified, rule, cancellationToken))
        {
            _logger.LogWarning("Refused {BlobName} for its name: {Rule}", CatalogNames.Shown(blob.Name), rule);
        }
        else
        {
            _logger.LogInformation("Skipped {BlobName}: this version was refused for its name before", CatalogNames.Shown(blob.Name));
        }

        return new IndexResult(IndexOutcome.Rejected, folder, rest, IndexingFailureTable.InvalidNameReason, rule);
    }

    private async Task<IndexResult> RejectAsync(
        string category, string imageId, BlobProperties properties, ImageRejectedException rejection, CancellationToken cancellationToken)
    {
        // Read again: a newer version may have been indexed while these bytes were decoded, and its
        // vector (and its clean record) must survive an older version's rejection.
        var stored = await _table.GetVersionAsync(category, imageId, cancellationToken);
        if (stored is not null && stored.BlobLastModified > properties.LastModified)
        {
            return new IndexResult(IndexOutcome.Superseded, category, imageId);
        }

        await _failures.RecordAsync(
            category, imageId, properties.ETag.ToString(), properties.VersionId, properties.LastModified,
            rejection.Reason.ToString(), rejection.Message, cancellationToken);
        if (stored is not null)
        {
            // The vector of an older version must not outlive the version that replaced it, nor its thumbnail.
            if (await _table.DeleteIfUnchangedAsync(category, imageId, stored.EntityETag, cancellationToken) && stored.Thumbnail is { } thumbnail)
            {
                await _thumbnails.DeleteAsync(thumbnail, cancellationToken);
            }
        }

        _logger.LogWarning("Rejected {Category}/{ImageId} ({Reason}): {Message}", category, imageId, rejection.Reason, rejection.Message);
        return new IndexResult(IndexOutcome.Rejected, category, imageId, rejection.Reason.ToString());
    }

    /// <summary>
    /// A row indexed before the model declared its colour (or under another colour version), or before thumbnails, gets
    /// what it lacks from the same blob version merged in, from one decode without running the CNN. A row changed
    /// meanwhile is left to its own event.
    /// </summary>
    private async Task<IndexResult> FillAsync(
        BlobClient blob, BlobProperties properties, string category, string imageId, IndexedVersion stored, bool colour, bool thumbnail,
        CancellationToken cancellationToken)
    {
        ImageFeatures filled;
        try
        {
            // Waits for admission as long as it takes: a busy instance makes indexing slower, never a refusal.
            using var admitted = await _admission.WaitAsync(properties.ContentLength, cancellationToken);
            var download = await blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken);
            using var content = download.Value.Content;
            filled = await _describer.DescribeAsync(content, colour, thumbnail ? _thumbnails.Encoding : null, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return new IndexResult(IndexOutcome.Superseded, category, imageId);
        }
        catch (ImageRejectedException e)
        {
            return await RejectAsync(category, imageId, properties, e, cancellationToken);
        }

        var colourFill = colour && filled.Colour is { } values ? (_model.Colour!.Id, values) : ((string, float[])?)null;
        var thumbnailName = filled.Thumbnail is { } bytes ? await _thumbnails.WriteAsync(category, imageId, bytes, cancellationToken) : null;
        if ((colourFill is null && thumbnailName is null)
            || !await _table.TryFillAsync(category, imageId, colourFill, thumbnailName, stored, cancellationToken))
        {
            return new IndexResult(IndexOutcome.Superseded, category, imageId);
        }

        _logger.LogInformation(
            "Filled {Category}/{ImageId} without inference: colour {ColourId}, thumbnail {Thumbnail}", category, imageId, colourFill?.Item1, thumbnailName);
        return new IndexResult(
            colourFill is null ? IndexOutcome.ThumbnailFilled : IndexOutcome.ColourFilled, category, imageId, WroteThumbnail: thumbnailName is not null);
    }

    /// <summary>
    /// Lays the attributes the blob's metadata carries over its product's (before the image row is written, so a retry after
    /// a crash merges again rather than finding the image current and skipping it), and notes on the image's row what was
    /// refused. Only a newly indexed version does this: a re-delivery or a fill leaves attributes set since by the admin
    /// endpoint or the CLI as they are.
    /// </summary>
    private async Task<ProductVector> TakeAttributesAsync(ProductVector vector, BlobProperties properties, CancellationToken cancellationToken)
    {
        var reading = ProductMetadata.Read(properties.Metadata);
        if (!reading.SaysAnything)
        {
            return vector;
        }

        var refused = ProductAttributeWriter.IsValidProductId(vector.ProductId)
            ? await _attributes.MergeAsync(vector.Category, vector.ProductId, reading, cancellationToken)
            : ["productid: the product id cannot carry attributes (control characters, or too long for a table key once escaped)."];
        if (refused.Count == 0)
        {
            return vector;
        }

        _logger.LogWarning(
            "Refused {Refused} of the attributes in the metadata of {Category}/{ImageId} (the image is indexed): {Reasons}",
            refused.Count, vector.Category, vector.ImageId, string.Join(" ", refused));
        return vector with { RefusedAttributes = string.Join('\n', refused) };
    }

    private async Task<ProductVector?> ExtractAsync(
        BlobClient blob, BlobProperties properties, string category, string imageId, CancellationToken cancellationToken)
    {
        // Waits for admission as long as it takes: a busy instance makes indexing slower, never a refusal.
        using var admitted = await _admission.WaitAsync(properties.ContentLength, cancellationToken);
        Response<BlobDownloadStreamingResult> download;
        try
        {
            // Pinned to the version we decided on: if the blob changes meanwhile, the newer one has its own event.
            download = await blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }

        using var content = download.Value.Content;
        var extractor = await _extractor.GetAsync(cancellationToken);
        // The thumbnail's upload runs while the model infers, rather than after it.
        Task<string>? thumbnailWrite = null;
        ImageFeatures features;
        try
        {
            features = await extractor.ExtractFeaturesAsync(
                content, _thumbnails.Encoding, bytes => thumbnailWrite = _thumbnails.WriteAsync(category, imageId, bytes, cancellationToken), cancellationToken);
        }
        catch when (thumbnailWrite is not null)
        {
            // Inference failed after the upload began: let it end before the error goes on, observing its own failure. No row
            // names it; the retry encodes the same bytes, so it writes the same name, which its row then names.
            await Task.WhenAny(thumbnailWrite);
            _ = thumbnailWrite.Exception;
            throw;
        }

        // Awaited before the row that names it is written, so a row never names a thumbnail that is not there.
        var thumbnail = thumbnailWrite is null ? null : await thumbnailWrite;
        return new ProductVector(
            category,
            imageId,
            CatalogNames.ProductIdOf(imageId, properties.Metadata),
            // AbsoluteUri keeps every escape: ToString() shows a trailing space raw, which a browser trims (a 404).
            blob.Uri.AbsoluteUri,
            _model.Id,
            properties.ETag.ToString(),
            properties.LastModified,
            features.Vector,
            features.Colour is null ? null : _model.Colour!.Id,
            features.Colour,
            thumbnail);
    }
}
