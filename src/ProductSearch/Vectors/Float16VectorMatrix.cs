using System.Numerics.Tensors;

namespace ProductSearch.Vectors;

/// <summary>
/// A category's vectors stored as float16: half the memory of <see cref="VectorMatrix"/>, searched through the
/// same <see cref="NearestNeighbourSearch"/> entry point. Unit-vector rows are widened to float32 in registers
/// by <see cref="HalfBlockDotProduct"/> (exactly), so only the storage is rounded, never the arithmetic, and the
/// scan reads half the bytes of float32. There is no full-precision copy in memory (that would undo the saving): the candidates are
/// re-ranked by the direct Euclidean distance to the float16 row, and Table Storage keeps the float32 original.
/// Not thread-safe: the owner guards writes.
/// </summary>
internal sealed class Float16VectorMatrix : IEditableRows
{
    // Rows widened at a time for the direct-distance path (arbitrary vectors); unit vectors are widened in registers.
    private const int RowsPerWidening = 4;

    private Half[] _data;

    public Float16VectorMatrix(int dimension, int capacity = 16, VectorGeometry geometry = VectorGeometry.UnitLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Geometry = geometry;
        _data = new Half[(long)Math.Max(capacity, 1) * dimension];
    }

    public int Dimension { get; }

    public VectorGeometry Geometry { get; }

    public int Count { get; private set; }

    /// <summary>Bytes held for vectors, including spare capacity.</summary>
    public long AllocatedBytes => (long)_data.Length * 2;

    /// <summary>Bytes each vector takes (spare capacity aside): half of float32's.</summary>
    public int BytesPerVector => Dimension * 2;

    int IScannableRows.ScratchLength => RowsPerWidening * Dimension;

    // The scan scores the stored (rounded) rows exactly as float32 would: the same few spare candidates.
    int IScannableRows.RerankMargin => 8;

    /// <summary>A float16 copy of every row of <paramref name="source"/>, sized exactly.</summary>
    public static Float16VectorMatrix From(VectorMatrix source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var matrix = new Float16VectorMatrix(source.Dimension, source.Count, source.Geometry);
        TensorPrimitives.ConvertToHalf(source.Rows, matrix._data.AsSpan(0, source.Count * source.Dimension));
        matrix.Count = source.Count;
        return matrix;
    }

    /// <summary>Widens a row back to float32 (the stored, rounded values).</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        TensorPrimitives.ConvertToSingle(RowHalves(row), destination[..Dimension]);
    }

    public float[] GetRow(int row)
    {
        var vector = new float[Dimension];
        CopyRow(row, vector);
        return vector;
    }

    public int Add(ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        if ((long)(Count + 1) * Dimension > _data.Length)
        {
            Array.Resize(ref _data, checked(Math.Max(_data.Length * 2, Dimension * 16)));
        }

        TensorPrimitives.ConvertToHalf(vector, _data.AsSpan(Count * Dimension, Dimension));
        return Count++;
    }

    public void Replace(int row, ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        TensorPrimitives.ConvertToHalf(vector, _data.AsSpan(row * Dimension, Dimension));
    }

    /// <summary>Removes a row by moving the last row into its place; returns the row that moved (or -1).</summary>
    public int RemoveSwapLast(int row)
    {
        var last = Count - 1;
        if (row != last)
        {
            RowHalves(last).CopyTo(_data.AsSpan(row * Dimension, Dimension));
        }

        Count--;
        return row == last ? -1 : last;
    }

    // Unit vectors: the query scaled as the in-register widening needs, kept at the start of the scratch.
    void IScannableRows.PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch)
    {
        if (Geometry == VectorGeometry.UnitLength)
        {
            HalfBlockDotProduct.ScaleQuery(query, scratch[..Dimension]);
        }
    }

    void IScannableRows.Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch)
    {
        var rows = _data.AsSpan(start * Dimension, scores.Length * Dimension);
        if (Geometry == VectorGeometry.UnitLength)
        {
            HalfBlockDotProduct.Compute(scratch[..Dimension], rows, scores);
            TensorPrimitives.Negate(scores, scores);
            return;
        }

        // Arbitrary vectors: the direct distance, on rows widened a few at a time.
        for (var done = 0; done < scores.Length; done += RowsPerWidening)
        {
            var count = Math.Min(RowsPerWidening, scores.Length - done);
            var widened = scratch[..(count * Dimension)];
            TensorPrimitives.ConvertToSingle(rows.Slice(done * Dimension, count * Dimension), widened);
            for (var i = 0; i < count; i++)
            {
                scores[done + i] = TensorPrimitives.Distance(query, widened.Slice(i * Dimension, Dimension));
            }
        }
    }

    float IScannableRows.Distance(ReadOnlySpan<float> query, int row, Span<float> scratch)
    {
        var widened = scratch[..Dimension];
        TensorPrimitives.ConvertToSingle(RowHalves(row), widened);
        return TensorPrimitives.Distance(query, widened);
    }

    private ReadOnlySpan<Half> RowHalves(int row) => _data.AsSpan(row * Dimension, Dimension);

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Vector has {vector.Length} values; the matrix holds {Dimension}-d vectors.", nameof(vector));
        }
    }
}
