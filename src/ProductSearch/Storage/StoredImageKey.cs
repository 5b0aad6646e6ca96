namespace ProductSearch.Storage;

/// <summary>An image row as the reconciler lists it: its name and the entity version it saw, nothing else.</summary>
public sealed record StoredImageKey(string ImageId, Azure.ETag EntityETag);
