using ProductSearch.Storage;

namespace ProductSearch.Tooling.Backfill;

/// <summary>An image a backfill could not index, and why.</summary>
/// <param name="Transient">
/// True for an error (storage, timeout) that running the backfill again may fix; false for a refusal of the
/// image's bytes or name, which is recorded in the failures table and stays until the shop replaces or renames the image.
/// </param>
/// <param name="RefusedEarlier">This very version was refused by an earlier run (or the blob trigger), so it was not decoded again.</param>
/// <param name="ForItsName">Refused for its name, not its bytes: the shop renames it rather than replacing the image.</param>
public sealed record BackfillFailure(string BlobName, string Reason, bool Transient, bool RefusedEarlier = false, bool ForItsName = false);

/// <summary>How far a backfill has got: images handled so far out of those listed.</summary>
public readonly record struct BackfillProgress(int Done, int Total);

/// <summary>What one backfill pass did with each listed image.</summary>
/// <param name="ColourFilled">Rows whose CNN vector was current and which got only their colour descriptor (decode, no inference).</param>
/// <param name="ListingFailures">Folders storage would not list: none of their images were seen, the other folders' were.</param>
/// <param name="ThumbnailsFilled">Rows whose CNN vector was current and which got a thumbnail (decode, no inference).</param>
public sealed record BackfillReport(
    int Listed,
    int Indexed,
    int AlreadyCurrent,
    int Superseded,
    int Gone,
    IReadOnlyList<BackfillFailure> Failures,
    int ColourFilled = 0,
    IReadOnlyList<ListingFailure>? ListingFailures = null,
    int ThumbnailsFilled = 0)
{
    public IReadOnlyList<ListingFailure> ListingFailures { get; } = ListingFailures ?? [];

    /// <summary>
    /// Nothing was left to do: no image was written and none was tried in vain for the first time (every image was
    /// already indexed at its current version, or that version was refused before).
    /// </summary>
    public bool NothingToIndex => Indexed == 0 && ColourFilled == 0 && ThumbnailsFilled == 0 && Failures.All(f => f.RefusedEarlier) && ListingFailures.Count == 0;

    /// <summary>Errors that another run may fix; rejections of bad images are not among them.</summary>
    public int TransientFailures => Failures.Count(f => f.Transient);
}
