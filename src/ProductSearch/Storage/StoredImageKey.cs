namespace ProductSearch.Storage;

/// <summary>
/// An image row as the reconciler lists it: its name, the entity version it saw and the blob version its vector
/// came from, nothing else.
/// </summary>
internal sealed record StoredImageKey(string ImageId, Azure.ETag EntityETag, string BlobETag = "");
