using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>One image a category search found, and its distance to the query.</summary>
public readonly record struct ImageMatch(IndexedImage Image, float Distance);

/// <summary>
/// What <see cref="CategoryIndex.Search"/> found: the images nearest first, how many vectors it compared, and the
/// colour weight the distances were measured with (0 when the category answers shape only).
/// </summary>
public sealed record CategorySearchResult(IReadOnlyList<ImageMatch> Results, int Searched, float ColourWeight);
