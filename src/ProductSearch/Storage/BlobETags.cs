namespace ProductSearch.Storage;

/// <summary>One spelling of a blob version's ETag, so rows, failures and listings compare equal.</summary>
public static class BlobETags
{
    /// <summary>A listing gives ETags bare, a properties read (what the indexer records) in quotes: both without.</summary>
    public static string Bare(string? etag) => (etag ?? "").Trim('"');
}
