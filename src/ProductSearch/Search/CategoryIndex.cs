using System.Buffers;
using ProductSearch.Products;
using ProductSearch.Storage;
using ProductSearch.Vectors;

namespace ProductSearch.Search;

/// <summary>
/// One category in memory: its vectors in a contiguous matrix and what each row is. Many queries read at once;
/// a refresh takes the write lock only to apply changes (how far the change log is applied is the cache's
/// <see cref="ChangeLogCursor"/>).
/// </summary>
public sealed class CategoryIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly CategoryRows _rows;
    private readonly FilterMasks _filterMasks = new();
    private long _writes; // under the write lock: what a mask of row numbers is valid for

    /// <param name="format">float32 by default; float16 halves the memory, int8 codes speed up the scan (docs/performance.md).</param>
    /// <param name="colour">The model's colour descriptor, kept after each row's CNN vector; null when the model has none.</param>
    public CategoryIndex(string category, string modelId, RowFormat format = default, ColourColumns? colour = null)
    {
        Category = category;
        ModelId = modelId;
        _rows = new CategoryRows(category, modelId, format, colour);
    }

    /// <summary>Values of colour kept after each CNN vector (0 when the model declares no colour).</summary>
    public int ColourDimension => _rows.ColourDimension;

    /// <summary>
    /// Images whose row has no colour of the current version (indexed before colour existed, or under another colour
    /// version). While any is left the category answers shape only, so rows are never ranked by two measures at once.
    /// </summary>
    public int WithoutColour => Read(rows => rows.HasColour ? rows.WithoutColour : 0);

    public string Category { get; }

    public string ModelId { get; }

    public int Count => Read(rows => rows.Count);

    /// <summary>
    /// Changes exactly when what the category holds changes (an image added, replaced or removed, its colour filled in),
    /// and is the same on every instance holding the same rows: what answers' entity tags are made of.
    /// </summary>
    public ulong Version => Read(rows => rows.Version);

    public long MatrixBytes => _rows.Matrix?.AllocatedBytes ?? 0;

    /// <summary>Vectors of other models met while loading or refreshing; never searched.</summary>
    public int SkippedOtherModels => _rows.SkippedOtherModels;

    /// <summary>Takes a whole category read in one go (row i of the matrix is image i), replacing what was held.</summary>
    internal void Load(CategoryMatrix loaded) => Write(rows => rows.Load(loaded));

    /// <summary>Adds, replaces or (when <paramref name="vector"/> is null or of another model) removes an image.</summary>
    public void Apply(string imageId, ProductVector? vector) => Write(rows => rows.Apply(imageId, vector));

    /// <summary>Sets a product's attributes, or clears them when null; the product need have no image yet.</summary>
    public void ApplyProduct(string productId, ProductAttributes? attributes) => Write(rows => rows.ApplyProduct(productId, attributes));

    /// <summary>The attributes of a product, or null when it has none.</summary>
    public ProductAttributes? ProductOf(string productId) => Read(rows => rows.AttributesOf(productId));

    /// <summary>
    /// One "more like" query planned and answered whole under one read lock, so every step sees the same rows: the query
    /// row (the indexed image's own, copied, or the photo's), what is left out (the image itself, and its product when
    /// the answer is one image per product), the colour weight the category allows (<see cref="EffectiveColourWeight"/>),
    /// the expansion's first search and fold, the search, and each result's CNN-only distance from the original query.
    /// Null when the subject is an image that is not indexed. When <paramref name="unchanged"/> says the caller already
    /// holds the category at its current version, nothing is searched (<see cref="CategoryAnswer.Unchanged"/>).
    /// </summary>
    /// With a filter, only the rows of matching products are searched (the true nearest N among them), and the answer
    /// names the filter's keys no product has.
    public CategoryAnswer? Answer(QuerySubject subject, SimilarityQuery request, QueryExpander expander, Func<ulong, bool>? unchanged = null) =>
        Read(rows =>
        {
            // A revalidation that holds the current version is answered without evaluating the filter.
            if (request.Filter is not { } filter || unchanged?.Invoke(rows.Version) == true)
            {
                return AnswerLocked(rows, subject, request, expander, unchanged, allowed: null);
            }

            var match = _filterMasks.Of(rows, filter, Volatile.Read(ref _writes));
            var answer = AnswerLocked(rows, subject, request, expander, unchanged, match.Rows);
            return answer is null || match.UnknownKeys.Count == 0 ? answer : answer with { UnknownFilterKeys = match.UnknownKeys };
        });

    /// <summary>
    /// <see cref="Answer"/> among the rows
    /// <paramref name="allowed"/> returns (a filter's matches), built under the same read lock as the search so that it
    /// describes the rows searched; a null mask allows every row.
    /// </summary>
    internal CategoryAnswer? AnswerAmong(
        QuerySubject subject, SimilarityQuery request, QueryExpander expander, Func<CategoryRows, RowMask?> allowed, Func<ulong, bool>? unchanged = null) =>
        Read(rows => AnswerLocked(rows, subject, request, expander, unchanged, allowed(rows)));

    /// <summary>
    /// Nearest images to <paramref name="query"/> (a full row: CNN vector, then colour when the model has it), nearest
    /// first, grouped as <paramref name="request"/> says, leaving nothing out, by the distance of the colour weight
    /// actually applied (see <see cref="EffectiveColourWeight"/>), which is returned with the results.
    /// </summary>
    internal CategorySearchResult Search(float[] query, SimilarityQuery request) =>
        Read(rows => SearchLocked(rows, query, request, request.Filter is { } filter ? _filterMasks.Of(rows, filter, Volatile.Read(ref _writes)).Rows : null));

    /// <summary><see cref="Search(float[], SimilarityQuery)"/> among the rows <paramref name="allowed"/> returns (see <see cref="AnswerAmong"/>).</summary>
    internal CategorySearchResult SearchAmong(float[] query, SimilarityQuery request, Func<CategoryRows, RowMask?> allowed) =>
        Read(rows => SearchLocked(rows, query, request, allowed(rows)));

    /// <summary>
    /// The weight a query is answered with: the one asked for, or 0 (shape only) when the model has no colour or any row
    /// of the category still lacks it (a catalogue part-way through its colour backfill).
    /// </summary>
    public float EffectiveColourWeight(float requested) => !_rows.HasColour || _rows.WithoutColour > 0 ? 0f : Math.Max(0f, requested);

    /// <summary>A query row for this category from an extracted photo: the CNN vector, then its colour (zeros when it has none).</summary>
    public float[] QueryOf(float[] vector, float[]? colour) => _rows.RowOf(vector, colour is not null && colour.Length == ColourDimension ? colour : null);

    /// <summary>A copy of an indexed image's vector, to search by id without re-extracting.</summary>
    public float[]? GetVector(string imageId) => Read(rows =>
    {
        if (rows.Matrix is not { } matrix || !rows.TryGetRow(imageId, out var row))
        {
            return null;
        }

        var vector = new float[matrix.Dimension];
        matrix.CopyRow(row, vector);
        return vector;
    });

    /// <summary>
    /// The CNN-only distance from a full query row to an indexed image, or null when the image is gone: "the same photo
    /// again" is judged by it whatever the colour weight. Measured in place, without a copy of the row per result.
    /// </summary>
    public float? ShapeDistance(float[] query, string imageId) => Read(rows =>
    {
        if (rows.Matrix is not { } matrix || !rows.TryGetRow(imageId, out var row))
        {
            return (float?)null;
        }

        return MeasureDistance(ShapeRows(matrix), query, row);
    });

    /// <summary>A copy of what the category holds, in no particular order, to list it without holding the lock.</summary>
    public IReadOnlyList<IndexedImage> SnapshotImages() => Read(rows => rows.Snapshot());

    /// <summary>The images, their products' attributes and the version they make, copied under one lock (a listing's page).</summary>
    internal CategorySnapshot Snapshot() => Read(rows => new CategorySnapshot(rows.Snapshot(), rows.ProductsWithImages(), rows.Version));

    public void Dispose() => _lock.Dispose();

    private CategoryAnswer? AnswerLocked(
        CategoryRows rows, QuerySubject subject, SimilarityQuery request, QueryExpander expander, Func<ulong, bool>? unchanged, RowMask? allowed)
    {
        var excludedRow = -1;
        if (subject.ImageId is { } imageId && (rows.Matrix is null || !rows.TryGetRow(imageId, out excludedRow)))
        {
            return null;
        }

        // Before any copy or scan: a revalidation that holds the current version costs a lookup.
        if (unchanged?.Invoke(rows.Version) == true)
        {
            return new CategoryAnswer([], 0, 0, rows.Version, Unchanged: true);
        }

        string? excludedProduct = null;
        var query = subject.Row;
        if (excludedRow >= 0)
        {
            query = new float[rows.Matrix!.Dimension];
            rows.Matrix.CopyRow(excludedRow, query);
            excludedProduct = request.GroupByProduct ? rows[excludedRow].ProductId : null;
        }

        var weight = EffectiveColourWeight(request.ColourWeight);
        var searched = Expand(rows, query!, expander, excludedRow, allowed);
        var (results, count) = SearchLocked(rows, searched, query!, request, weight, excludedRow, excludedProduct, allowed);
        return new CategoryAnswer(results, count, weight, rows.Version);
    }

    private CategorySearchResult SearchLocked(CategoryRows rows, float[] query, SimilarityQuery request, RowMask? allowed)
    {
        var weight = EffectiveColourWeight(request.ColourWeight);
        var (results, searched) = SearchLocked(rows, query, query, request, weight, excludedRow: -1, excludedProduct: null, allowed);
        return new CategorySearchResult(results, searched, weight);
    }

    // The expanded query (the k nearest images of any product, the query image left out, folded in), or the query itself.
    // With a mask, the neighbours folded in are among the allowed rows: the query leans toward what may be answered,
    // and a sparse filter never pays for a scan of the whole category.
    private static float[] Expand(CategoryRows rows, float[] query, QueryExpander expander, int excludedRow, RowMask? allowed = null)
    {
        if (expander.Neighbours == 0 || rows.Matrix is not { } matrix)
        {
            return query;
        }

        // Neighbours by shape alone: only the CNN block is expanded.
        var (nearest, _) = SearchLocked(rows, query, query, new SimilarityQuery(expander.Neighbours) { GroupByProduct = false }, 0f, excludedRow, excludedProduct: null, allowed);
        var vectors = new List<float[]>(nearest.Count);
        foreach (var match in nearest)
        {
            rows.TryGetRow(match.Image.ImageId, out var row);
            var vector = new float[matrix.Dimension];
            matrix.CopyRow(row, vector);
            vectors.Add(vector);
        }

        return expander.Fold(query, vectors, matrix.Dimension - rows.ColourDimension);
    }

    // Searches for `query` among the allowed rows (all when null); each match's shape distance is measured from `original`
    // (the query before expansion).
    private static (List<ImageMatch> Results, int Searched) SearchLocked(
        CategoryRows rows, float[] query, float[] original, SimilarityQuery request, float weight, int excludedRow, string? excludedProduct, RowMask? allowed = null)
    {
        var results = new List<ImageMatch>(request.Top);
        if (rows.Matrix is not { } matrix || request.Top <= 0)
        {
            return (results, rows.Matrix?.Count ?? 0);
        }

        // At weight 0 the colour adds nothing: the CNN rows alone are searched, as in a catalogue without colour.
        var shape = ShapeRows(matrix);
        var shapeOnly = weight == 0 && matrix is ShapeAndColourMatrix ? shape : null;
        var weighted = rows.HasColour && shapeOnly is null ? new ColourWeightedRows(matrix, query, rows.ColourDimension, weight) : null;

        var filtering = request.GroupByProduct || excludedProduct is not null;
        // Grouping drops candidates, so ask for more; widen until N are found or the allowed rows are exhausted.
        var allowedRows = allowed?.Count ?? matrix.Count;
        var candidates = filtering ? (request.Top * 4) + 8 : request.Top;
        var products = filtering ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (true)
        {
            var neighbours = weighted is not null
                ? NearestNeighbourSearch.Search(weighted, candidates, excludedRow: excludedRow, allowed: allowed)
                : shapeOnly is not null
                    ? NearestNeighbourSearch.Search(shapeOnly, query.AsSpan(0, shapeOnly.Dimension), candidates, excludedRow: excludedRow, allowed: allowed)
                    : NearestNeighbourSearch.Search(matrix, query, candidates, excludedRow: excludedRow, allowed: allowed);
            results.Clear();
            products?.Clear();
            var exhausted = neighbours.Count < candidates || candidates >= allowedRows;
            foreach (var neighbour in neighbours)
            {
                if (neighbour.Distance > request.MaxDistance)
                {
                    exhausted = true;
                    break;
                }

                var image = rows[neighbour.Row];
                if (image.ProductId == excludedProduct || (request.GroupByProduct && !products!.Add(image.ProductId)))
                {
                    continue;
                }

                // Weighed with colour or expanded, the CNN-only distance from the original query is measured apart (the row
                // was just re-ranked: it is in cache).
                var shapeDistance = weighted is null && ReferenceEquals(query, original) ? neighbour.Distance : MeasureDistance(shape, original, neighbour.Row);
                results.Add(new ImageMatch(
                    image, neighbour.Distance, shapeDistance, request.GroupByProduct ? rows.MainImageOf(image) : image, rows.ProductOf(neighbour.Row)));
                if (results.Count == request.Top)
                {
                    return (results, allowedRows);
                }
            }

            if (exhausted || !filtering)
            {
                return (results, allowedRows);
            }

            candidates = (int)Math.Min((long)candidates * 4, allowedRows);
        }
    }

    // The CNN rows of a category's matrix: the matrix itself unless it keeps colour beside them.
    private static IEditableRows ShapeRows(IEditableRows matrix) => matrix is ShapeAndColourMatrix split ? split.Shape : matrix;

    // The distance from the start of a full query row (CNN vector, then colour) to a row of the CNN rows.
    private static float MeasureDistance(IEditableRows shape, float[] query, int row)
    {
        var scratch = ArrayPool<float>.Shared.Rent(shape.Dimension);
        var distance = shape.Distance(query.AsSpan(0, shape.Dimension), row, scratch);
        ArrayPool<float>.Shared.Return(scratch);
        return distance;
    }

    private T Read<T>(Func<CategoryRows, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(_rows);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Write(Action<CategoryRows> write)
    {
        _lock.EnterWriteLock();
        try
        {
            _writes++;
            write(_rows);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
