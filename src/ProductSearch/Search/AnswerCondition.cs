namespace ProductSearch.Search;

/// <summary>
/// A conditional request: which entity tags the caller holds (HTTP <c>If-None-Match</c>, parsed by the caller), and what
/// else the answer's URLs depend on (<paramref name="Links"/>, e.g. the base URL thumbnails are served from), which
/// goes into the tag.
/// </summary>
public sealed record AnswerCondition(Func<string, bool> Holds, string Links = "")
{
    /// <summary>An unconditional request: the caller holds nothing.</summary>
    public static AnswerCondition None { get; } = new(_ => false);
}
