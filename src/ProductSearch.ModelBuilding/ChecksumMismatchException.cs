namespace ProductSearch.ModelBuilding;

/// <summary>A weights file whose MD5 differs from the published one: corrupted, truncated or a different file.</summary>
public sealed class ChecksumMismatchException : Exception
{
    public ChecksumMismatchException()
    {
    }

    public ChecksumMismatchException(string message)
        : base(message)
    {
    }

    public ChecksumMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="downloadedFrom">Set for a download, which is deleted after the mismatch, so the message says where it came from.</param>
    public ChecksumMismatchException(string filePath, string expectedMd5, string actualMd5, Uri? downloadedFrom = null)
        : base($"MD5 mismatch for '{filePath}': expected {expectedMd5}, actual {actualMd5}. "
            + "The file is corrupted, truncated or not the expected weights file."
            + (downloadedFrom is null ? string.Empty : $" It was downloaded from {downloadedFrom}; the temporary file has been deleted."))
    {
        FilePath = filePath;
        ExpectedMd5 = expectedMd5;
        ActualMd5 = actualMd5;
    }

    public string? FilePath { get; }

    public string? ExpectedMd5 { get; }

    public string? ActualMd5 { get; }
}
