namespace ProductSearch.Storage;

/// <summary>
/// One indexed image: what a query returns about it, where it came from, its CNN vector and, beside it, its colour
/// descriptor (null in rows indexed before the model declared colour, until a backfill fills it in) and the name of its
/// thumbnail in the thumbnails container (null until one is written). <see cref="RefusedAttributes"/> says why product
/// attributes in the blob's metadata were refused (one sentence per line), null when none were.
/// </summary>
public sealed record ProductVector(
    string Category,
    string ImageId,
    string ProductId,
    string ImageUrl,
    string ModelId,
    string BlobETag,
    DateTimeOffset BlobLastModified,
    float[] Vector,
    string? ColourId = null,
    float[]? Colour = null,
    string? Thumbnail = null,
    string? RefusedAttributes = null)
{
    /// <summary>The colour descriptor when it is of <paramref name="colourId"/>; null when missing or of another version.</summary>
    public float[]? ColourOf(string? colourId) => colourId is not null && ColourId == colourId ? Colour : null;
}

/// <summary>Which blob version an entity holds, read without its vector to decide whether to re-index.</summary>
/// <param name="ColourId">The version of the colour descriptor the row holds, or null when it holds none.</param>
/// <param name="Thumbnail">The name of the row's thumbnail, or null when it has none.</param>
internal sealed record IndexedVersion(string BlobETag, DateTimeOffset BlobLastModified, Azure.ETag EntityETag, string? ColourId = null, string? Thumbnail = null);
