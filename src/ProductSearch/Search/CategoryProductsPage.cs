using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// One page of a category's products; <paramref name="Total"/> counts every product and <paramref name="Images"/>
/// every indexed image, so the storefront knows when to stop.
/// </summary>
public sealed record CategoryProductsPage(string Category, int Total, int Images, int Skip, IReadOnlyList<ListedProduct> Products);

/// <summary>A product as the storefront grid shows it: its main image and how many photos it has.</summary>
public sealed record ListedProduct(string ProductId, IndexedImage Main, int Photos);
