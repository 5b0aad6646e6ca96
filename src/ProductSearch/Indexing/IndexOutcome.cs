namespace ProductSearch.Indexing;

public enum IndexOutcome
{
    /// <summary>The vector was computed and written.</summary>
    Indexed,

    /// <summary>The stored vector already comes from this blob version: a re-delivery writes nothing.</summary>
    AlreadyCurrent,

    /// <summary>A newer version of the blob exists or is already indexed; its own event indexes it.</summary>
    Superseded,

    /// <summary>The blob is gone; any vector of it was removed.</summary>
    Gone,

    /// <summary>The bytes are not a usable image, or the name cannot be indexed: recorded with the reason, not retried.</summary>
    Rejected,

    /// <summary>The stored CNN vector was current but had no colour of the model's version: colour was decoded and merged in, with no inference.</summary>
    ColourFilled,

    /// <summary>The stored vector (and colour) was current but had no thumbnail: one was decoded and written, with no inference.</summary>
    ThumbnailFilled,
}

/// <param name="Category">The category; for a blob refused for its name, the part of the name before its first '/', or "" at the container root.</param>
/// <param name="Reason">Why it was rejected: an <c>ImageRejectionReason</c> name, or <c>InvalidName</c>.</param>
/// <param name="Message">For a blob refused for its name, the rule it breaks (the bytes' rejections have their sentence in the failures table).</param>
/// <param name="WroteThumbnail">A thumbnail was written into a row that was otherwise current (a fill, no inference).</param>
public sealed record IndexResult(
    IndexOutcome Outcome, string Category, string ImageId, string? Reason = null, string? Message = null, bool WroteThumbnail = false);
