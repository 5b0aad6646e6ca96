namespace ProductSearch.Search;

/// <summary>What a search result says about a row of a category's matrix.</summary>
public sealed record IndexedImage(string ImageId, string ProductId, string ImageUrl);
