namespace ProductSearch.Storage;

/// <summary>Why a blob version was not indexed: the row an operator reads to tell a shop what to fix.</summary>
public sealed record IndexingFailure(
    string Category,
    string ImageId,
    string BlobETag,
    string? BlobVersionId,
    DateTimeOffset BlobLastModified,
    string Reason,
    string Message,
    DateTimeOffset FailedAt);
