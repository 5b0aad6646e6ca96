using ProductSearch.Products;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// One page of a category's products; <paramref name="Total"/> counts every product and <paramref name="Images"/>
/// every indexed image, so the storefront knows when to stop. <paramref name="ETag"/> changes exactly when the page can.
/// </summary>
public sealed record CategoryProductsPage(string Category, int Total, int Images, int Skip, IReadOnlyList<ListedProduct> Products, string ETag);

/// <summary>The category folders, in name order, and the list's entity tag.</summary>
public sealed record CategoryList(IReadOnlyList<string> Names, string ETag);

/// <summary>A product as the storefront grid shows it: its main image, how many photos it has, and its attributes (null when none).</summary>
public sealed record ListedProduct(string ProductId, IndexedImage Main, int Photos, ProductAttributes? Attributes = null);

/// <summary>What a category holds, copied at one <paramref name="Version"/>: its images and the attributes of their products that have any.</summary>
internal sealed record CategorySnapshot(IReadOnlyList<IndexedImage> Images, IReadOnlyDictionary<string, ProductAttributes> Products, ulong Version);
