using ProductSearch.Search.Vectors;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// A category's rows and what each one is: the matrix, the image of every row, the row of every image id, the images
/// of every product (for its main image), and how many rows still lack colour. Adds, replaces and removes rows in place. Not thread-safe: <see cref="CategoryIndex"/>
/// holds the lock around every call.
/// </summary>
internal sealed class CategoryRows
{
    private readonly List<IndexedImage> _images = [];
    private readonly Dictionary<string, int> _rowById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _imagesByProduct = new(StringComparer.Ordinal);
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
        for (var row = 0; row < _images.Count; row++)
        {
            _rowById[_images[row].ImageId] = row;
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
            AddToProduct(image);
            return;
        }

        Matrix ??= _format.Create(values.Length, ColourDimension);
        _rowById[imageId] = Matrix.Add(values);
        _images.Add(image);
        Version += ContentVersion.Of(image);
        AddToProduct(image);
        WithoutColour += image.HasColour ? 0 : 1;
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
            _rowById[_images[row].ImageId] = row;
        }

        _images.RemoveAt(_images.Count - 1);
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
