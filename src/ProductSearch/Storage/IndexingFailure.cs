namespace ProductSearch.Storage;

/// <summary>Why a blob version was not indexed: the row an operator reads to tell a shop what to fix.</summary>
/// <param name="Category">The category folder; for a blob refused for its name, the part before the first '/' as uploaded, or "" at the container root.</param>
/// <param name="ImageId">The name under the category folder; for a blob refused for its name, the rest of the name as uploaded.</param>
public sealed record IndexingFailure(
    string Category,
    string ImageId,
    string BlobETag,
    string? BlobVersionId,
    DateTimeOffset BlobLastModified,
    string Reason,
    string Message,
    DateTimeOffset FailedAt)
{
    /// <summary>The blob's full name in its container, as uploaded.</summary>
    public string BlobName { get; init; } = Category.Length == 0 ? ImageId : $"{Category}/{ImageId}";
}
