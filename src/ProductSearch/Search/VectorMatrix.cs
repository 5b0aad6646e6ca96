namespace ProductSearch.Search;

/// <summary>
/// A category's vectors in one contiguous row-major <c>count x dimension</c> buffer: one scan streams
/// memory front to back, and rows are replaced or removed in place so a change costs O(dimension).
/// Not thread-safe: <see cref="CategoryIndex"/> guards it.
/// </summary>
public sealed class VectorMatrix
{
    private float[] _data;

    public VectorMatrix(int dimension, int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        _data = new float[(long)Math.Max(capacity, 1) * dimension];
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    /// <summary>Bytes held for vectors, including spare capacity.</summary>
    public long AllocatedBytes => (long)_data.Length * sizeof(float);

    public ReadOnlySpan<float> Rows => _data.AsSpan(0, Count * Dimension);

    public ReadOnlySpan<float> Row(int row) => _data.AsSpan(row * Dimension, Dimension);

    public int Add(ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        if ((long)(Count + 1) * Dimension > _data.Length)
        {
            Array.Resize(ref _data, checked(Math.Max(_data.Length * 2, Dimension * 16)));
        }

        vector.CopyTo(_data.AsSpan(Count * Dimension, Dimension));
        return Count++;
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

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Vector has {vector.Length} values; the matrix holds {Dimension}-d vectors.", nameof(vector));
        }
    }
}
