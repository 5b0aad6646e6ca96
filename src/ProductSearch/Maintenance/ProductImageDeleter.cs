using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProductSearch.Storage;

namespace ProductSearch.Maintenance;

/// <summary>
/// Deletes an image now: its blob, its vector (through the change log, so caches drop it within the
/// staleness bound), its thumbnails and any failure row. The reconciler would get there too, but only on its next run.
/// </summary>
public sealed class ProductImageDeleter
{
    // A re-index racing the delete changes the row between our read and our conditional delete; a few
    // tries settle it. Anything left (an index that downloaded before the blob went) the reconciler removes.
    private const int MaxDeleteAttempts = 3;

    private readonly ProductVectorTable _table;
    private readonly IndexingFailureTable _failures;
    private readonly BlobContainerClient _images;
    private readonly ThumbnailStore _thumbnails;

    public ProductImageDeleter(ProductVectorTable table, IndexingFailureTable failures, BlobContainerClient images, ThumbnailStore thumbnails)
    {
        _table = table;
        _thumbnails = thumbnails;
        _failures = failures;
        _images = images;
    }

    /// <summary>True when there was a blob or a vector to delete; false when neither existed.</summary>
    public async Task<bool> DeleteAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        var blob = _images.GetBlobClient($"{category}/{imageId}");
        var blobDeleted = (await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;

        var vectorDeleted = false;
        for (var attempt = 1; attempt <= MaxDeleteAttempts; attempt++)
        {
            if (await _table.DeleteAsync(category, imageId, cancellationToken))
            {
                vectorDeleted = true;
                break;
            }

            if (await _table.GetVersionAsync(category, imageId, cancellationToken) is null)
            {
                break;
            }
        }

        // After the row: while the row names a thumbnail, the thumbnail is there.
        var thumbnailsDeleted = await _thumbnails.DeleteAllAsync(category, imageId, cancellationToken);
        await _failures.ClearAsync(category, imageId, cancellationToken);
        return blobDeleted || vectorDeleted || thumbnailsDeleted > 0;
    }
}
