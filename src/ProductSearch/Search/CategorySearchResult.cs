using ProductSearch.Products;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// One image a category search found, its distance to the query at the colour weight applied, and the CNN-only
/// distance (the same value at weight 0): "the same photo again" is judged by the latter whatever the weight.
/// <see cref="Tile"/> is what a tile shows for it: its product's main image when results are grouped by product, else itself.
/// <see cref="Product"/> is its product's attributes, read under the same lock as the match; null when it has none.
/// </summary>
public readonly record struct ImageMatch(IndexedImage Image, float Distance, float ShapeDistance, IndexedImage Tile, ProductAttributes? Product = null);

/// <summary>
/// What <see cref="CategoryIndex.Search"/> found: the images nearest first, how many vectors it compared, and the
/// colour weight the distances were measured with (0 when the category answers shape only).
/// </summary>
internal sealed record CategorySearchResult(IReadOnlyList<ImageMatch> Results, int Searched, float ColourWeight);
