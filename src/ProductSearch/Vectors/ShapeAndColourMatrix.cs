using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ProductSearch.Vectors;

/// <summary>
/// Rows of a model with a colour histogram (the CNN vector, then the colour block), kept in a form the scan reads
/// cheaply. The CNN vectors sit in any <see cref="IEditableRows"/> (float32, float16, int8-prefiltered). The colour is
/// kept twice: row by row in float32, for whatever reads a whole row (a query's own vector, the exact re-rank), and
/// bin-major as one byte per value (round(255 v)), which is what the scan reads. A photo's histogram has few
/// non-zero bins (15 of 216 at the median of the shared photos) and a bin the query lacks adds nothing to q.x, so a
/// query reads only its own bins' columns: about 15 bytes per row beside the CNN vector's 2,048, instead of 864.
/// The scan multiplies them by the query's values as int16 (<see cref="ColourColumnDot"/>). Codes and int16 values make
/// a score off by at most <see cref="ScoreErrorBound"/>; the search keeps every candidate within twice that of the N-th
/// and re-ranks them by the exact float32 rows, so the answer stays exact.
/// Not thread-safe: the owner guards writes.
/// </summary>
internal sealed class ShapeAndColourMatrix : IEditableRows
{
    // CNN rows of the next block asked for before the colour work: 16 KB of 512-d float32 (measured by `-- colour`).
    private const int PrefetchRows = 8;

    // Generous for float32's relative rounding (2^-24) in converting and scaling a row's integer sum.
    private const float FloatRounding = 1f / (1 << 20);

    private readonly IEditableRows _shape;
    private readonly int _shapeDimension;
    private readonly VectorMatrix _colourRows;
    private readonly AlignedBuffer<byte>[] _codes;

    // Fixed per matrix, read for every block: the CNN part's scratch; where the colour's prepared query starts (after
    // it, at an even offset so that addresses align); and every bin, rounded up to the kernel's pairs.
    private readonly int _shapeScratch;
    private readonly int _ownScratch;
    private readonly int _maxColumns;

    // The largest |v - code / 255| of any value written (0.5 / 255 for values in 0..1): bounds the scan's error.
    private float _codeError;

    /// <summary>Empty rows: the CNN vectors in <paramref name="shape"/> (empty), then <paramref name="colourDimension"/> colour values.</summary>
    public ShapeAndColourMatrix(IEditableRows shape, int colourDimension)
        : this(shape, new VectorMatrix(colourDimension))
    {
    }

    private ShapeAndColourMatrix(IEditableRows shape, VectorMatrix colourRows)
    {
        ArgumentNullException.ThrowIfNull(shape);

        // Scores are -q.x, which splits into a sum over the two blocks; a direct distance does not.
        if (shape.Geometry != VectorGeometry.UnitLength)
        {
            throw new ArgumentException("Colour columns need unit-length rows.", nameof(shape));
        }

        if (shape.Count != colourRows.Count)
        {
            throw new ArgumentException($"{shape.Count} CNN rows and {colourRows.Count} colour rows.", nameof(colourRows));
        }

        _shape = shape;
        _shapeDimension = shape.Dimension;
        _colourRows = colourRows;
        _codes = new AlignedBuffer<byte>[colourRows.Dimension];
        _shapeScratch = shape.ScratchLength;
        _ownScratch = (_shapeScratch + 1) & ~1;
        _maxColumns = (_codes.Length + 1) & ~1;
        ScratchLength = _ownScratch + 2 + (2 * _maxColumns) + (_maxColumns / 2);
        for (var bin = 0; bin < _codes.Length; bin++)
        {
            _codes[bin] = new AlignedBuffer<byte>(Math.Max(colourRows.Count, 16));
        }

        for (var row = 0; row < colourRows.Count; row++)
        {
            WriteCodes(row, colourRows.Row(row));
        }
    }

    /// <summary>The CNN rows alone: a query at colour weight 0 searches them exactly as a catalogue without colour.</summary>
    public IEditableRows Shape => _shape;

    public int Dimension => _shapeDimension + _codes.Length;

    public int Count => _shape.Count;

    public VectorGeometry Geometry => _shape.Geometry;

    public long AllocatedBytes => _shape.AllocatedBytes + _colourRows.AllocatedBytes + ((long)_codes.Length * _codes[0].Length);

    public int ScratchLength { get; }

    public int RerankMargin => _shape.RerankMargin;

    /// <summary>
    /// Splits full rows (CNN then colour) from a bulk load; <paramref name="shapeFormat"/> turns the CNN part, sized
    /// exactly, into the storage asked for.
    /// </summary>
    public static ShapeAndColourMatrix From(VectorMatrix loaded, int colourDimension, Func<VectorMatrix, IEditableRows> shapeFormat)
    {
        var shapeDimension = loaded.Dimension - colourDimension;
        var shape = new VectorMatrix(shapeDimension, loaded.Count);
        var colour = new VectorMatrix(colourDimension, loaded.Count);
        for (var row = 0; row < loaded.Count; row++)
        {
            shape.Add(loaded.Row(row)[..shapeDimension]);
            colour.Add(loaded.Row(row)[shapeDimension..]);
        }

        return new ShapeAndColourMatrix(shapeFormat(shape), colour);
    }

    // Each code is off by at most _codeError, each int16 query value by half a step of largest / 32,767 (against a code
    // of at most 1), and float rounding of the sums is allowed for relative to the largest possible sum.
    public float ScoreErrorBound(ReadOnlySpan<float> query)
    {
        var (bins, largest, magnitude) = (0, 0f, 0f);
        foreach (var value in query[_shapeDimension..])
        {
            bins += value != 0 ? 1 : 0;
            largest = MathF.Max(largest, MathF.Abs(value));
            magnitude += MathF.Abs(value);
        }

        return ((magnitude * (_codeError + FloatRounding)) + (bins * 0.5f * largest / ColourColumnDot.QueryScale)) * 1.001f;
    }

    public int Add(ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        var row = _shape.Add(vector[.._shapeDimension]);
        _colourRows.Add(vector[_shapeDimension..]);
        EnsureCodeCapacity(row + 1);
        WriteCodes(row, vector[_shapeDimension..]);
        return row;
    }

    public void Replace(int row, ReadOnlySpan<float> vector)
    {
        CheckDimension(vector);
        _shape.Replace(row, vector[.._shapeDimension]);
        _colourRows.Replace(row, vector[_shapeDimension..]);
        WriteCodes(row, vector[_shapeDimension..]);
    }

    public int RemoveSwapLast(int row)
    {
        var last = Count - 1;
        var moved = _shape.RemoveSwapLast(row);
        _colourRows.RemoveSwapLast(row);
        foreach (var column in _codes)
        {
            column[row] = column[last];
            column[last] = 0;
        }

        return moved;
    }

    // The scan has just read the CNN row; the colour row it did not read (the scan reads the byte columns).
    public void PrefetchForRerank(int row) => ((IScannableRows)_colourRows).Prefetch(row, 1);

    public void Prefetch(int start, int rows)
    {
        _shape.Prefetch(start, rows);
        ((IScannableRows)_colourRows).Prefetch(start, rows);
    }

    public void CopyRow(int row, Span<float> destination)
    {
        _shape.CopyRow(row, destination[.._shapeDimension]);
        _colourRows.CopyRow(row, destination[_shapeDimension..]);
    }

    public void PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch)
    {
        _shape.PrepareQuery(query[.._shapeDimension], scratch[.._shapeScratch]);
        var own = Own(scratch);
        var columns = Columns(own);
        var weights = Weights(own);
        var colour = query[_shapeDimension..];
        var largest = TensorPrimitives.MaxMagnitude(colour);
        var count = 0;
        for (var bin = 0; largest != 0 && bin < colour.Length; bin++)
        {
            if (colour[bin] != 0)
            {
                var value = (int)MathF.Round(colour[bin] / largest * ColourColumnDot.QueryScale);
                columns[count] = _codes[bin].Address;
                weights[count / 2] = count % 2 == 0 ? (ushort)value : weights[count / 2] | (value << 16);
                count++;
            }
        }

        // The kernel takes columns two by two: an odd count repeats the last column with a weight of 0.
        if (count % 2 == 1)
        {
            columns[count] = columns[count - 1];
            count++;
        }

        own[0] = count / 2;
        own[1] = largest / (ColourColumnDot.QueryScale * 255f);
    }

    public void Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch)
    {
        _shape.Score(query[.._shapeDimension], start, scores, scratch[.._shapeScratch]);
        var own = Own(scratch);
        var pairs = (int)own[0];
        if (pairs > 0)
        {
            // Scores are -q.x: the colour term is subtracted. (No pairs: colour weight 0, a catalogue without colour.)
            // The colour work is a pause in the stream of CNN rows that the hardware prefetcher does not cover.
            _shape.Prefetch(start + scores.Length, PrefetchRows);
            ColourColumnDot.Subtract(Columns(own)[..(2 * pairs)], Weights(own)[..pairs], own[1], start, scores);
        }
    }

    /// <summary>The CNN and the colour distance from a full query row to a row, each measured where it is kept (no copy).</summary>
    public (float Shape, float Colour) Distances(ReadOnlySpan<float> query, int row, Span<float> scratch) =>
        (_shape.Distance(query[.._shapeDimension], row, scratch), TensorPrimitives.Distance(query[_shapeDimension..], _colourRows.Row(row)));

    public float Distance(ReadOnlySpan<float> query, int row, Span<float> scratch)
    {
        var x = scratch[..Dimension];
        CopyRow(row, x);
        return TensorPrimitives.Distance(query, x);
    }

    // The query's colour columns for the block kernel, prepared once per query: the pair count and the factor from
    // integer sums to q.x, the column addresses (valid while the query holds the read lock: the owner resizes only
    // under the write lock) and the int16 weights two by two.
    private Span<float> Own(Span<float> scratch) => scratch[_ownScratch..ScratchLength];

    private Span<nint> Columns(Span<float> own) => MemoryMarshal.Cast<float, nint>(own.Slice(2, 2 * _maxColumns));

    private Span<int> Weights(Span<float> own) => MemoryMarshal.Cast<float, int>(own[(2 + (2 * _maxColumns))..]);

    private void WriteCodes(int row, ReadOnlySpan<float> colour)
    {
        for (var bin = 0; bin < _codes.Length; bin++)
        {
            var code = (byte)Math.Clamp(MathF.Round(colour[bin] * 255f), 0f, 255f);
            _codes[bin][row] = code;
            _codeError = Math.Max(_codeError, MathF.Abs(colour[bin] - (code / 255f)));
        }
    }

    private void EnsureCodeCapacity(int rows)
    {
        if (rows <= _codes[0].Length)
        {
            return;
        }

        var capacity = Math.Max(rows, _codes[0].Length * 2);
        for (var bin = 0; bin < _codes.Length; bin++)
        {
            _codes[bin] = _codes[bin].Resize(capacity, _codes[bin].Length);
        }
    }

    private void CheckDimension(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
        {
            throw new ArgumentException($"Vector has {vector.Length} values; the matrix holds {Dimension}-d vectors.", nameof(vector));
        }
    }
}
