namespace ProductSearch.Vectors;

/// <summary>
/// A category's rows as <c>CategoryIndex</c> keeps them, float32 (<see cref="VectorMatrix"/>) or float16
/// (<see cref="Float16VectorMatrix"/>, <c>Search:CompactVectors</c>), either with int8 scan codes beside it
/// (<see cref="Int8PrefilteredMatrix"/>, <c>Search:Int8Scan</c>): changed in place, scanned by the same search.
/// </summary>
internal interface IEditableRows : IScannableRows
{
    long AllocatedBytes { get; }

    int Add(ReadOnlySpan<float> vector);

    void Replace(int row, ReadOnlySpan<float> vector);

    /// <summary>Removes a row by moving the last row into its place; returns the row that moved (or -1).</summary>
    int RemoveSwapLast(int row);

    void CopyRow(int row, Span<float> destination);
}
