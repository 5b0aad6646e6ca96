namespace ProductSearch.Functions.Http;

/// <summary>The category folders of the images container, in name order.</summary>
public sealed record CategoriesResponse(IReadOnlyList<string> Categories);
