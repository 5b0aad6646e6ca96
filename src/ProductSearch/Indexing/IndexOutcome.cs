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

    /// <summary>The bytes are not a usable image: recorded with the reason, not retried.</summary>
    Rejected,

    /// <summary>The stored CNN vector was current but had no colour of the model's version: colour was decoded and merged in, with no inference.</summary>
    ColourFilled,
}

public sealed record IndexResult(IndexOutcome Outcome, string Category, string ImageId, string? Reason = null);
