using ProductSearch.Products;
using ProductSearch.Vectors;

namespace ProductSearch.Storage;

/// <summary>
/// A category read in one go: row i of <see cref="Matrix"/> is <see cref="Images"/>[i]; null matrix when no vector is of the
/// model. <see cref="Products"/> holds the attributes of each product that has any, by product id (photos or not).
/// </summary>
internal sealed record CategoryMatrix(
    VectorMatrix? Matrix, IReadOnlyList<IndexedImage> Images, int SkippedOtherModels, IReadOnlyDictionary<string, ProductAttributes>? Products = null)
{
    public IReadOnlyDictionary<string, ProductAttributes> Products { get; init; } = Products ?? new Dictionary<string, ProductAttributes>();
}
