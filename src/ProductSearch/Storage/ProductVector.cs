namespace ProductSearch.Storage;

/// <summary>One indexed image: what a query returns about it, where it came from, and its vector.</summary>
public sealed record ProductVector(
    string Category,
    string ImageId,
    string ProductId,
    string ImageUrl,
    string ModelId,
    string BlobETag,
    DateTimeOffset BlobLastModified,
    float[] Vector);

/// <summary>Which blob version an entity holds, read without its vector to decide whether to re-index.</summary>
public sealed record IndexedVersion(string BlobETag, DateTimeOffset BlobLastModified, Azure.ETag EntityETag);
