using System.Numerics.Tensors;

namespace ProductSearch.Vectors;

/// <summary>
/// A category's vectors in one contiguous row-major <c>count x dimension</c> buffer, aligned to a cache line: one scan
/// streams memory front to back, and rows are replaced or removed in place so a change costs O(dimension).
/// Not thread-safe: <c>CategoryIndex</c> guards it.
/// </summary>
internal sealed class VectorMatrix : IEditableRows
{
    private AlignedBuffer<float> _data;

    public VectorMatrix(int dimension, int capacity = 16, VectorGeometry geometry = VectorGeometry.UnitLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Geometry = geometry;
        _data = new AlignedBuffer<float>((long)Math.Max(capacity, 1) * dimension);
    }

    public int Dimension { get; }

    public VectorGeometry Geometry { get; }

    public int Count { get; private set; }

    /// <summary>Bytes held for vectors, including spare capacity.</summary>
    public long AllocatedBytes => (long)_data.Length * sizeof(float);

    public ReadOnlySpan<float> Rows => _data.AsSpan(0, Count * Dimension);

    /// <summary>Bytes each vector takes (spare capacity aside).</summary>
    public int BytesPerVector => Dimension * sizeof(float);

    int IScannableRows.ScratchLength => 0;

    // float32 scores differ from the exact distance only by rounding: a few spare candidates cover near-ties.
    int IScannableRows.RerankMargin => 8;

    void IScannableRows.Prefetch(int start, int rows) =>
        _data.Prefetch(start * Dimension, Math.Min(rows, Count - start) * Dimension);

    public ReadOnlySpan<float> Row(int row) => _data.AsSpan(row * Dimension, Dimension);

    public void CopyRow(int row, Span<float> destination) => Row(row).CopyTo(destination);

    public int Add(ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        vector.CopyTo(AddRow());
        return Count - 1;
    }

    /// <summary>Grows the matrix (at least doubling) to hold <paramref name="rows"/> rows, so a bulk load resizes a few times.</summary>
    public void EnsureCapacity(int rows)
    {
        if ((long)rows * Dimension > _data.Length)
        {
            _data = _data.Resize(checked(Math.Max(rows * Dimension, _data.Length * 2)), Count * Dimension);
        }
    }

    /// <summary>Drops spare capacity once a bulk load is done: the cache then holds exactly Count rows.</summary>
    public void TrimExcess()
    {
        if (_data.Length > Math.Max(Count, 1) * Dimension)
        {
            _data = _data.Resize(Math.Max(Count, 1) * Dimension, Count * Dimension);
        }
    }

    /// <summary>Appends a row and returns it to be written in place: a decoder fills it with no vector of its own.</summary>
    internal Span<float> AddRow() => AddRows(1);

    /// <summary>Appends <paramref name="rows"/> rows and returns them, contiguous, to be written in place.</summary>
    internal Span<float> AddRows(int rows)
    {
        if ((long)(Count + rows) * Dimension > _data.Length)
        {
            _data = _data.Resize(checked(Math.Max(_data.Length * 2, (Count + rows) * Dimension)), Count * Dimension);
        }

        var added = _data.AsSpan(Count * Dimension, rows * Dimension);
        Count += rows;
        return added;
    }

    public void Replace(int row, ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        vector.CopyTo(_data.AsSpan(row * Dimension, Dimension));
    }

    /// <summary>Removes a row by moving the last row into its place; returns the row that moved (or -1).</summary>
    public int RemoveSwapLast(int row)
    {
        var last = Count - 1;
        if (row != last)
        {
            Row(last).CopyTo(_data.AsSpan(row * Dimension, Dimension));
        }

        Count--;
        return row == last ? -1 : last;
    }

    void IScannableRows.PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch)
    {
    }

    void IScannableRows.Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch)
    {
        var rows = _data.AsSpan(start * Dimension, scores.Length * Dimension);
        if (Geometry == VectorGeometry.UnitLength)
        {
            BlockDotProduct.Compute(query, rows, scores);
            TensorPrimitives.Negate(scores, scores);
            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = TensorPrimitives.Distance(query, rows.Slice(i * Dimension, Dimension));
        }
    }

    float IScannableRows.Distance(ReadOnlySpan<float> query, int row, Span<float> scratch) => TensorPrimitives.Distance(query, Row(row));

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Vector has {vector.Length} values; the matrix holds {Dimension}-d vectors.", nameof(vector));
        }
    }
}
