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
    private IVectorStore? _matrix;

    /// <param name="storage">float32 by default; float16 halves the memory, int8 codes speed up the scan (docs/performance.md).</param>
    public CategoryIndex(string category, string modelId, VectorStorage storage = default)
    {
        Category = category;
        ModelId = modelId;
        _storage = storage;
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

            if (vector is not null && _matrix is not null && vector.Vector.Length != _matrix.Dimension)
            {
                throw new InvalidDataException(
                    $"Vector {Category}/{imageId} has {vector.Vector.Length} values; the category holds {_matrix.Dimension}-d vectors of model {ModelId}.");
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

            var image = new IndexedImage(vector.ImageId, vector.ProductId, vector.ImageUrl);
            if (exists)
            {
                _matrix!.Replace(row, vector.Vector);
                _images[row] = image;
                return;
            }

            _matrix ??= _storage.Create(vector.Vector.Length);
            _rowById[imageId] = _matrix.Add(vector.Vector);
            _images.Add(image);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Nearest images to <paramref name="query"/>, nearest first, filtered and grouped as <paramref name="request"/> says.</summary>
    public (List<(IndexedImage Image, float Distance)> Results, int Searched) Search(ReadOnlySpan<float> query, SimilarityQuery request)
    {
        _lock.EnterReadLock();
        try
        {
            var results = new List<(IndexedImage, float)>(request.Top);
            if (_matrix is null || request.Top <= 0)
            {
                return (results, _matrix?.Count ?? 0);
            }

            var excludedRow = request.ExcludedImageId is not null && _rowById.TryGetValue(request.ExcludedImageId, out var row) ? row : -1;
            var filtering = request.GroupByProduct || request.ExcludedProductId is not null;
            // Grouping drops candidates, so ask for more; widen until N are found or the category is exhausted.
            var candidates = filtering ? (request.Top * 4) + 8 : request.Top;
            var products = filtering ? new HashSet<string>(StringComparer.Ordinal) : null;
            while (true)
            {
                var neighbours = NearestNeighbourSearch.Search(_matrix, query, candidates, unitVectors: true, excludedRow: excludedRow);
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
        finally
        {
            _lock.ExitReadLock();
        }
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
