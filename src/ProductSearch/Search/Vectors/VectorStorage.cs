namespace ProductSearch.Search.Vectors;

/// <summary>
/// How a category index keeps its vectors: float32 or float16 rows (<c>Search:CompactVectors</c>),
/// optionally with int8 codes the scan reads first (<c>Search:Int8Scan</c>).
/// </summary>
public readonly record struct VectorStorage(bool Float16 = false, bool Int8Scan = false)
{
    internal IVectorStore Create(int dimension) =>
        Wrap(Float16 ? new Float16VectorMatrix(dimension) : new VectorMatrix(dimension));

    /// <summary>The loaded rows in this storage: float32 rows are taken as they are, not copied.</summary>
    internal IVectorStore From(VectorMatrix loaded) => Wrap(Float16 ? Float16VectorMatrix.From(loaded) : loaded);

    private IVectorStore Wrap(IVectorStore rows) => Int8Scan ? new Int8PrefilteredMatrix(rows) : rows;
}
