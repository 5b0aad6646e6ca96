namespace ProductSearch.Search;

/// <summary>One page of a category's indexed images; <paramref name="Total"/> counts them all.</summary>
public sealed record CategoryProductsPage(string Category, int Total, int Skip, IReadOnlyList<IndexedImage> Products);
