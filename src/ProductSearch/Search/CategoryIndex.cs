using ProductSearch.Search.Vectors;
using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// One category in memory: its vectors in a contiguous matrix, what each row is, and how far the change
/// log has been applied. Many queries read at once; a refresh takes the write lock only to apply changes.
/// </summary>
public sealed class CategoryIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<IndexedImage> _images = [];
    private readonly Dictionary<string, int> _rowById = new(StringComparer.Ordinal);

    // Log rows inside the lookback window that are already applied, so a re-read window costs no point reads.
    private readonly Dictionary<string, long> _appliedLogRows = new(StringComparer.Ordinal);
    private readonly VectorStorage _storage;
    private readonly ColourColumns? _colour;
    private IVectorStore? _matrix;

    // Rows whose colour is missing or of another version: while any is left, queries are shape only (see ColourWeight).
    private int _withoutColour;

    /// <param name="storage">float32 by default; float16 halves the memory, int8 codes speed up the scan (docs/performance.md).</param>
    /// <param name="colour">The model's colour descriptor, kept after each row's CNN vector; null when the model has none.</param>
    public CategoryIndex(string category, string modelId, VectorStorage storage = default, ColourColumns? colour = null)
    {
        Category = category;
        ModelId = modelId;
        _storage = storage;
        _colour = colour;
    }

    /// <summary>Values of colour kept after each CNN vector (0 when the model declares no colour).</summary>
    public int ColourDimension => _colour?.Dimension ?? 0;

    /// <summary>
    /// Images whose row has no colour of the current version (indexed before colour existed, or under another colour
    /// version). While any is left the category answers shape only, so rows are never ranked by two measures at once.
    /// </summary>
    public int WithoutColour
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _colour is null ? 0 : _withoutColour;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public string Category { get; }

    public string ModelId { get; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _images.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public long MatrixBytes => _matrix?.AllocatedBytes ?? 0;

    /// <summary>Vectors of other models met while loading or refreshing; never searched.</summary>
    public int SkippedOtherModels { get; private set; }

    /// <summary>Writer-clock ticks up to which the change log has been read.</summary>
    internal long PolledThroughTicks { get; set; }

    internal long NextCheckTimestamp { get; set; }

    internal SemaphoreSlim RefreshGate { get; } = new(1, 1);

    /// <summary>Takes a whole category read in one go (row i of the matrix is image i), replacing what was held.</summary>
    public void Load(CategoryMatrix loaded)
    {
        _lock.EnterWriteLock();
        try
        {
            _matrix = loaded.Matrix is null ? null : _storage.From(loaded.Matrix);
            _images.Clear();
            _images.AddRange(loaded.Images);
            _withoutColour = _images.Count(i => !i.HasColour);
            _rowById.Clear();
            for (var row = 0; row < _images.Count; row++)
            {
                _rowById[_images[row].ImageId] = row;
            }

            SkippedOtherModels += loaded.SkippedOtherModels;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds, replaces or (when <paramref name="vector"/> is null or of another model) removes an image.</summary>
    public void Apply(string imageId, ProductVector? vector)
    {
        _lock.EnterWriteLock();
        try
        {
            if (vector is not null && vector.ModelId != ModelId)
            {
                SkippedOtherModels++;
                vector = null;
            }

            if (vector is not null && _matrix is not null && vector.Vector.Length + ColourDimension != _matrix.Dimension)
            {
                throw new InvalidDataException(
                    $"Vector {Category}/{imageId} has {vector.Vector.Length} values; the category holds {_matrix.Dimension - ColourDimension}-d vectors of model {ModelId}.");
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
            var image = new IndexedImage(vector.ImageId, vector.ProductId, vector.ImageUrl, colour is not null && colour.Length == ColourDimension);
            var values = RowOf(vector.Vector, image.HasColour ? colour : null);
            if (exists)
            {
                _withoutColour += (image.HasColour ? 0 : 1) - (_images[row].HasColour ? 0 : 1);
                _matrix!.Replace(row, values);
                _images[row] = image;
                return;
            }

            _matrix ??= _storage.Create(values.Length);
            _rowById[imageId] = _matrix.Add(values);
            _images.Add(image);
            _withoutColour += image.HasColour ? 0 : 1;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Nearest images to <paramref name="query"/> (a full row: CNN vector, then colour when the model has it), nearest
    /// first, filtered and grouped as <paramref name="request"/> says, by the distance of the colour weight actually applied
    /// (see <see cref="EffectiveColourWeight"/>), which is returned with the results.
    /// </summary>
    public (List<(IndexedImage Image, float Distance)> Results, int Searched, float ColourWeight) Search(float[] query, SimilarityQuery request)
    {
        _lock.EnterReadLock();
        try
        {
            var weight = EffectiveColourWeight(request.ColourWeight);
            var (results, searched) = SearchLocked(query, request, weight);
            return (results, searched, weight);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The weight a query is answered with: the one asked for, or 0 (shape only) when the model has no colour or any row
    /// of the category still lacks it (a catalogue part-way through its colour backfill).
    /// </summary>
    public float EffectiveColourWeight(float requested) => _colour is null || _withoutColour > 0 ? 0f : Math.Max(0f, requested);

    private (List<(IndexedImage, float)> Results, int Searched) SearchLocked(float[] query, SimilarityQuery request, float weight)
    {
        var results = new List<(IndexedImage, float)>(request.Top);
        if (_matrix is null || request.Top <= 0)
        {
            return (results, _matrix?.Count ?? 0);
        }

        var weighted = _colour is { } colour ? new ColourWeightedRows(_matrix, query, colour.Dimension, weight) : null;

        var excludedRow = request.ExcludedImageId is not null && _rowById.TryGetValue(request.ExcludedImageId, out var row) ? row : -1;
        var filtering = request.GroupByProduct || request.ExcludedProductId is not null;
        // Grouping drops candidates, so ask for more; widen until N are found or the category is exhausted.
        var candidates = filtering ? (request.Top * 4) + 8 : request.Top;
        var products = filtering ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (true)
        {
            var neighbours = weighted is not null
                ? NearestNeighbourSearch.Search(weighted, candidates, excludedRow: excludedRow)
                : NearestNeighbourSearch.Search(_matrix, query, candidates, excludedRow: excludedRow);
            results.Clear();
            products?.Clear();
            var exhausted = neighbours.Count < candidates || candidates >= _matrix.Count;
            foreach (var neighbour in neighbours)
            {
                if (neighbour.Distance > request.MaxDistance)
                {
                    exhausted = true;
                    break;
                }

                var image = _images[neighbour.Row];
                if (image.ProductId == request.ExcludedProductId || (request.GroupByProduct && !products!.Add(image.ProductId)))
                {
                    continue;
                }

                results.Add((image, neighbour.Distance));
                if (results.Count == request.Top)
                {
                    return (results, _matrix.Count);
                }
            }

            if (exhausted || !filtering)
            {
                return (results, _matrix.Count);
            }

            candidates = (int)Math.Min((long)candidates * 4, _matrix.Count);
        }
    }

    /// <summary>A query row for this category from an extracted photo: the CNN vector, then its colour (zeros when it has none).</summary>
    public float[] QueryOf(float[] vector, float[]? colour) => RowOf(vector, colour is not null && colour.Length == ColourDimension ? colour : null);

    /// <summary>A row as the matrix keeps it: the CNN vector, then the colour descriptor or zeros when the row has none.</summary>
    private float[] RowOf(float[] vector, float[]? colour)
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

    /// <summary>The product of an indexed image, to leave it out of its own "more like this".</summary>
    public string? GetProductId(string imageId)
    {
        _lock.EnterReadLock();
        try
        {
            return _rowById.TryGetValue(imageId, out var row) ? _images[row].ProductId : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>A copy of an indexed image's vector, to search by id without re-extracting.</summary>
    public float[]? GetVector(string imageId)
    {
        _lock.EnterReadLock();
        try
        {
            if (_matrix is null || !_rowById.TryGetValue(imageId, out var row))
            {
                return null;
            }

            var vector = new float[_matrix.Dimension];
            _matrix.CopyRow(row, vector);
            return vector;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    internal bool IsApplied(string logRowKey) => _appliedLogRows.ContainsKey(logRowKey);

    internal void MarkApplied(IEnumerable<ChangeLogEntry> entries, long forgetBeforeTicks)
    {
        foreach (var entry in entries)
        {
            _appliedLogRows[entry.RowKey] = entry.Ticks;
        }

        foreach (var stale in _appliedLogRows.Where(e => e.Value < forgetBeforeTicks).Select(e => e.Key).ToList())
        {
            _appliedLogRows.Remove(stale);
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        RefreshGate.Dispose();
    }

    private void RemoveRow(int row)
    {
        _withoutColour -= _images[row].HasColour ? 0 : 1;
        _rowById.Remove(_images[row].ImageId);
        var moved = _matrix!.RemoveSwapLast(row);
        if (moved >= 0)
        {
            _images[row] = _images[moved];
            _rowById[_images[row].ImageId] = row;
        }

        _images.RemoveAt(_images.Count - 1);
    }

    /// <summary>A copy of what the category holds, in no particular order, to list it without holding the lock.</summary>
    public IReadOnlyList<IndexedImage> SnapshotImages()
    {
        _lock.EnterReadLock();
        try
        {
            return _images.ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
