using System.Runtime.InteropServices;

namespace ProductSearch.Vectors;

/// <summary>
/// A float32 or float16 matrix with an int8 copy of its rows that the scan reads instead (<c>Search:Int8Scan</c>):
/// a quarter of float32's bytes, so a memory-bound scan of a large category runs up to four times faster. The
/// int8 scores only pick candidates; the best 32 beyond N are re-ranked by the exact distance
/// to the stored rows, so results are those of the matrix underneath unless int8 rounding pushes a true neighbour
/// below that many others (measured by the `memory` and `scan` benchmarks: docs/performance.md).
/// Costs one byte per value on top of the matrix. Not thread-safe: the owner guards writes.
/// </summary>
internal sealed class Int8PrefilteredMatrix : IEditableRows
{
    private readonly IEditableRows _rows;
    private readonly int _stride;
    private sbyte[] _codes;
    private float[] _scales;

    /// <summary>Adds int8 codes of every row to <paramref name="rows"/>, which this matrix then owns and changes.</summary>
    public Int8PrefilteredMatrix(VectorMatrix rows)
        : this((IEditableRows)rows)
    {
    }

    /// <inheritdoc cref="Int8PrefilteredMatrix(VectorMatrix)"/>
    public Int8PrefilteredMatrix(Float16VectorMatrix rows)
        : this((IEditableRows)rows)
    {
    }

    internal Int8PrefilteredMatrix(IEditableRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        _stride = (rows.Dimension + Int8BlockDotProduct.Stride - 1) / Int8BlockDotProduct.Stride * Int8BlockDotProduct.Stride;
        var capacity = Math.Max(rows.Count, 16);
        _codes = new sbyte[(long)capacity * _stride];
        _scales = new float[capacity];
        var row = new float[rows.Dimension];
        for (var i = 0; i < rows.Count; i++)
        {
            rows.CopyRow(i, row);
            _scales[i] = Int8Codes.Quantize(row, Codes(i));
        }
    }

    public int Dimension => _rows.Dimension;

    public int Count => _rows.Count;

    public VectorGeometry Geometry => _rows.Geometry;

    // int8 rounding moves a true neighbour only a few places down (the `memory` benchmark prints how far):
    // 32 spare candidates leave room for that several times over, and re-ranking them reads 32 rows, next to
    // nothing beside a scan of thousands.
    int IScannableRows.RerankMargin => 32;

    public long AllocatedBytes => _rows.AllocatedBytes + _codes.LongLength + ((long)_scales.Length * sizeof(float));

    // The matrix's own working space, then the quantised query: magnitudes, signs, and its scale.
    int IScannableRows.ScratchLength => _rows.ScratchLength + QueryFloats;

    private int QueryFloats => (2 * _stride / sizeof(float)) + 1;

    public int Add(ReadOnlySpan<float> vector)
    {
        var row = _rows.Add(vector);
        if (row >= _scales.Length)
        {
            Array.Resize(ref _scales, _scales.Length * 2);
            Array.Resize(ref _codes, checked(_scales.Length * _stride));
        }

        _scales[row] = Int8Codes.Quantize(vector, Codes(row));
        return row;
    }

    public void Replace(int row, ReadOnlySpan<float> vector)
    {
        _rows.Replace(row, vector);
        _scales[row] = Int8Codes.Quantize(vector, Codes(row));
    }

    public int RemoveSwapLast(int row)
    {
        var moved = _rows.RemoveSwapLast(row);
        if (moved >= 0)
        {
            Codes(moved).CopyTo(Codes(row));
            _scales[row] = _scales[moved];
        }

        return moved;
    }

    public void CopyRow(int row, Span<float> destination) => _rows.CopyRow(row, destination);

    void IScannableRows.PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch)
    {
        if (Geometry != VectorGeometry.UnitLength)
        {
            _rows.PrepareQuery(query, scratch[.._rows.ScratchLength]);
            return;
        }

        var scale = QueryParts(scratch, out var magnitudes, out var signs);
        scale[0] = Int8Codes.QuantizeQuery(query, magnitudes, signs);
    }

    void IScannableRows.Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch)
    {
        // Without unit vectors the score is a distance, which q.x alone does not give: the matrix scores itself.
        if (Geometry != VectorGeometry.UnitLength)
        {
            _rows.Score(query, start, scores, scratch[.._rows.ScratchLength]);
            return;
        }

        var scale = QueryParts(scratch, out var magnitudes, out var signs);
        var dots = MemoryMarshal.Cast<float, int>(scores);
        Int8BlockDotProduct.Compute(magnitudes, signs, _codes.AsSpan(start * _stride, scores.Length * _stride), dots);
        var queryScale = -scale[0];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = dots[i] * _scales[start + i] * queryScale;
        }
    }

    float IScannableRows.Distance(ReadOnlySpan<float> query, int row, Span<float> scratch) => _rows.Distance(query, row, scratch);

    private Span<sbyte> Codes(int row) => _codes.AsSpan(row * _stride, _stride);

    // Returns the one-float span holding the query's scale.
    private Span<float> QueryParts(Span<float> scratch, out Span<byte> magnitudes, out Span<sbyte> signs)
    {
        var own = scratch.Slice(_rows.ScratchLength, QueryFloats);
        var bytes = MemoryMarshal.AsBytes(own);
        magnitudes = bytes[.._stride];
        signs = MemoryMarshal.Cast<byte, sbyte>(bytes.Slice(_stride, _stride));
        return own[^1..];
    }
}
