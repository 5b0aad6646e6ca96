namespace ProductSearch.Search;

/// <summary>
/// A query answered by <see cref="CategoryIndex.Answer"/>: the images nearest first (each with its CNN-only distance from
/// the original query, the near-duplicate basis), how many vectors the search compared, the colour weight applied (0
/// when the category answers shape only), and the category's version the answer was read at. <see cref="Unchanged"/>
/// is true when the caller already held that version: then nothing was searched and the results are empty.
/// </summary>
public sealed record CategoryAnswer(IReadOnlyList<ImageMatch> Results, int Searched, float ColourWeight, ulong Version, bool Unchanged = false)
{
    /// <summary>The filter's keys that no product of the category has: each makes the filter match nothing.</summary>
    public IReadOnlyList<string> UnknownFilterKeys { get; init; } = [];
}
