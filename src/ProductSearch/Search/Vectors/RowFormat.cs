namespace ProductSearch.Search.Vectors;

/// <summary>
/// How a category index keeps its vectors: float32 or float16 rows (<c>Search:CompactVectors</c>),
/// optionally with int8 codes the scan reads first (<c>Search:Int8Scan</c>).
/// </summary>
public readonly record struct RowFormat(bool Float16 = false, bool Int8Scan = false)
{
    internal IEditableRows Create(int dimension) =>
        Wrap(Float16 ? new Float16VectorMatrix(dimension) : new VectorMatrix(dimension));

    /// <summary>The loaded rows in this storage: float32 rows are taken as they are, not copied.</summary>
    internal IEditableRows From(VectorMatrix loaded) => Wrap(Float16 ? Float16VectorMatrix.From(loaded) : loaded);

    private IEditableRows Wrap(IEditableRows rows) => Int8Scan ? new Int8PrefilteredMatrix(rows) : rows;
}
