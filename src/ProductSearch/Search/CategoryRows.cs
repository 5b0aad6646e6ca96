using System.Runtime.InteropServices;
using ProductSearch.Products;
using ProductSearch.Storage;
using ProductSearch.Vectors;

namespace ProductSearch.Search;

/// <summary>
/// A category's rows and what each one is: the matrix, the image of every row, the row of every image id, the images
/// of every product (for its main image), and how many rows still lack colour. Adds, replaces and removes rows in place. Not thread-safe: <see cref="CategoryIndex"/>
/// holds the lock around every call.
/// Products' attributes are held once per product, not per row: each product seen (by an image or by its attributes)
/// gets an ordinal, stable until the category is loaded again, and each row knows its product's ordinal, so something
/// evaluated once per product (a filter) reaches every row by an array lookup (<see cref="ProductOrdinals"/>).
/// </summary>
internal sealed class CategoryRows
{
    private readonly List<IndexedImage> _images = [];
    private readonly Dictionary<string, int> _rowById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _imagesByProduct = new(StringComparer.Ordinal);
    private readonly List<int> _productOrdinalByRow = [];
    private readonly Dictionary<string, int> _ordinalByProduct = new(StringComparer.Ordinal);
    private readonly List<string> _productIds = [];
    private readonly List<ProductAttributes?> _attributes = [];
    private readonly string _category;
    private readonly string _modelId;
    private readonly RowFormat _format;
    private readonly ColourColumns? _colour;

    public CategoryRows(string category, string modelId, RowFormat format, ColourColumns? colour)
    {
        _category = category;
        _modelId = modelId;
        _format = format;
        _colour = colour;
    }

    public IEditableRows? Matrix { get; private set; }

    public int Count => _images.Count;

    public int ColourDimension => _colour?.Dimension ?? 0;

    public bool HasColour => _colour is not null;

    /// <summary>Rows whose colour is missing or of another version: while any is left, queries are shape only.</summary>
    public int WithoutColour { get; private set; }

    /// <summary>Vectors of other models met while loading or applying changes; never kept.</summary>
    public int SkippedOtherModels { get; private set; }

    /// <summary>What the rows hold, as <see cref="ContentVersion"/> sums it: equal on every instance that holds the same rows.</summary>
    public ulong Version { get; private set; }

    public IndexedImage this[int row] => _images[row];

    /// <summary>Products with an ordinal: every product id met since the load, with or without images and attributes.</summary>
    public int ProductCount => _productIds.Count;

    /// <summary>The ordinal of the product row <paramref name="row"/> shows.</summary>
    public int ProductOrdinalOf(int row) => _productOrdinalByRow[row];

    /// <summary>Row i's product ordinal at [i], for a whole-category pass (a filter's row mask) without a call per row.</summary>
    public ReadOnlySpan<int> ProductOrdinals => CollectionsMarshal.AsSpan(_productOrdinalByRow);

    /// <summary>Each product's attributes by ordinal; null for a product without any.</summary>
    public IReadOnlyList<ProductAttributes?> ProductAttributesByOrdinal => _attributes;

    /// <summary>The product id of an ordinal.</summary>
    public string ProductIdAt(int ordinal) => _productIds[ordinal];

    /// <summary>The attributes of the product row <paramref name="row"/> shows, or null when it has none.</summary>
    public ProductAttributes? ProductOf(int row) => _attributes[_productOrdinalByRow[row]];

    /// <summary>The attributes of a product, or null when it has none.</summary>
    public ProductAttributes? AttributesOf(string productId) =>
        _ordinalByProduct.TryGetValue(productId, out var ordinal) ? _attributes[ordinal] : null;

    /// <summary>The attributes of each product that has both images here and attributes, by product id.</summary>
    public IReadOnlyDictionary<string, ProductAttributes> ProductsWithImages() =>
        _imagesByProduct.Keys
            .Select(id => (id, Attributes: _attributes[_ordinalByProduct[id]]))
            .Where(p => p.Attributes is not null)
            .ToDictionary(p => p.id, p => p.Attributes!, StringComparer.Ordinal);

    public bool TryGetRow(string imageId, out int row) => _rowById.TryGetValue(imageId, out row);

    /// <summary>The image a product's tile shows (<see cref="CatalogListing.MainImage"/>), among the product's images held here.</summary>
    public IndexedImage MainImageOf(IndexedImage image) =>
        _imagesByProduct.TryGetValue(image.ProductId, out var ids) && ids.Count > 1
            ? CatalogListing.MainImage(ids.Select(id => _images[_rowById[id]]))
            : image;

    public IReadOnlyList<IndexedImage> Snapshot() => _images.ToArray();

    public void Load(CategoryMatrix loaded)
    {
        Matrix = loaded.Matrix is null ? null : _format.From(loaded.Matrix, ColourDimension);
        _images.Clear();
        _images.AddRange(loaded.Images);
        WithoutColour = _images.Count(i => !i.HasColour);
        Version = ContentVersion.Of(_images);
        _rowById.Clear();
        _imagesByProduct.Clear();
        _productOrdinalByRow.Clear();
        _ordinalByProduct.Clear();
        _productIds.Clear();
        _attributes.Clear();
        foreach (var (productId, attributes) in loaded.Products)
        {
            _attributes[OrdinalOf(productId)] = attributes;
            Version += ContentVersion.Of(productId, attributes);
        }

        for (var row = 0; row < _images.Count; row++)
        {
            _rowById[_images[row].ImageId] = row;
            _productOrdinalByRow.Add(OrdinalOf(_images[row].ProductId));
            AddToProduct(_images[row]);
        }

        SkippedOtherModels += loaded.SkippedOtherModels;
    }

    public void Apply(string imageId, ProductVector? vector)
    {
        if (vector is not null && vector.ModelId != _modelId)
        {
            SkippedOtherModels++;
            vector = null;
        }

        if (vector is not null && Matrix is not null && vector.Vector.Length + ColourDimension != Matrix.Dimension)
        {
            throw new InvalidDataException(
                $"Vector {_category}/{imageId} has {vector.Vector.Length} values; the category holds {Matrix.Dimension - ColourDimension}-d vectors of model {_modelId}.");
        }

        var exists = _rowById.TryGetValue(imageId, out var row);
        if (vector is null)
        {
            if (exists)
            {
                RemoveRow(row);
            }

            return;
        }

        var colour = vector.ColourOf(_colour?.Id);
        var image = new IndexedImage(
            vector.ImageId, vector.ProductId, vector.ImageUrl, colour is not null && colour.Length == ColourDimension, vector.BlobETag, vector.Thumbnail);
        var values = RowOf(vector.Vector, image.HasColour ? colour : null);
        if (exists)
        {
            WithoutColour += (image.HasColour ? 0 : 1) - (_images[row].HasColour ? 0 : 1);
            Matrix!.Replace(row, values);
            Version += ContentVersion.Of(image) - ContentVersion.Of(_images[row]);
            RemoveFromProduct(_images[row]);
            _images[row] = image;
            _productOrdinalByRow[row] = OrdinalOf(image.ProductId);
            AddToProduct(image);
            return;
        }

        Matrix ??= _format.Create(values.Length, ColourDimension);
        _rowById[imageId] = Matrix.Add(values);
        _images.Add(image);
        _productOrdinalByRow.Add(OrdinalOf(image.ProductId));
        Version += ContentVersion.Of(image);
        AddToProduct(image);
        WithoutColour += image.HasColour ? 0 : 1;
    }

    /// <summary>Sets (or, when null, clears) a product's attributes; the product need have no image here.</summary>
    public void ApplyProduct(string productId, ProductAttributes? attributes)
    {
        var ordinal = OrdinalOf(productId);
        if (_attributes[ordinal] is { } old)
        {
            Version -= ContentVersion.Of(productId, old);
        }

        _attributes[ordinal] = attributes is { IsEmpty: false } ? attributes : null;
        if (_attributes[ordinal] is { } current)
        {
            Version += ContentVersion.Of(productId, current);
        }
    }

    /// <summary>A row as the matrix keeps it: the CNN vector, then the colour descriptor or zeros when the row has none.</summary>
    public float[] RowOf(float[] vector, float[]? colour)
    {
        if (_colour is null)
        {
            return vector;
        }

        var row = new float[vector.Length + ColourDimension];
        vector.CopyTo(row, 0);
        colour?.CopyTo(row, vector.Length);
        return row;
    }

    private void RemoveRow(int row)
    {
        WithoutColour -= _images[row].HasColour ? 0 : 1;
        Version -= ContentVersion.Of(_images[row]);
        RemoveFromProduct(_images[row]);
        _rowById.Remove(_images[row].ImageId);
        var moved = Matrix!.RemoveSwapLast(row);
        if (moved >= 0)
        {
            _images[row] = _images[moved];
            _productOrdinalByRow[row] = _productOrdinalByRow[moved];
            _rowById[_images[row].ImageId] = row;
        }

        _images.RemoveAt(_images.Count - 1);
        _productOrdinalByRow.RemoveAt(_productOrdinalByRow.Count - 1);
    }

    // Ordinals are never reused until the next load, so a mask built from them stays right for the rows it was built with.
    private int OrdinalOf(string productId)
    {
        if (!_ordinalByProduct.TryGetValue(productId, out var ordinal))
        {
            ordinal = _productIds.Count;
            _ordinalByProduct[productId] = ordinal;
            _productIds.Add(productId);
            _attributes.Add(null);
        }

        return ordinal;
    }

    private void AddToProduct(IndexedImage image)
    {
        if (!_imagesByProduct.TryGetValue(image.ProductId, out var ids))
        {
            _imagesByProduct[image.ProductId] = ids = new List<string>(1);
        }

        ids.Add(image.ImageId);
    }

    private void RemoveFromProduct(IndexedImage image)
    {
        if (_imagesByProduct.TryGetValue(image.ProductId, out var ids) && ids.Remove(image.ImageId) && ids.Count == 0)
        {
            _imagesByProduct.Remove(image.ProductId);
        }
    }
}
