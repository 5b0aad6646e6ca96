using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProductSearch.Search.Vectors;

/// <summary>
/// Rows of a model with a colour histogram (the CNN vector, then the colour block), kept in a form the scan reads
/// cheaply. The CNN vectors sit in any <see cref="IEditableRows"/> (float32, float16, int8-prefiltered). The colour is
/// kept twice: row by row in float32, for whatever reads a whole row (a query's own vector, the exact re-rank), and
/// bin-major as one byte per value (round(255 v)), which is what the scan reads. A photo's histogram has few
/// non-zero bins (15 of 216 at the median of the shared photos) and a bin the query lacks adds nothing to q.x, so a
/// query reads only its own bins' columns: about 15 bytes per row beside the CNN vector's 2,048, instead of 864.
/// The byte codes make a score off by at most <see cref="ScoreErrorBound"/>; the search keeps every candidate within
/// twice that of the N-th and re-ranks them by the exact float32 rows, so the answer stays exact.
/// Not thread-safe: the owner guards writes.
/// </summary>
internal sealed class ShapeAndColourMatrix : IEditableRows
{
    // Rows whose colour term is worked out at once: each column is read as one run of bytes the prefetcher follows.
    private const int TileRows = 1024;

    private readonly IEditableRows _shape;
    private readonly int _shapeDimension;
    private readonly VectorMatrix _colourRows;
    private readonly AlignedBuffer<byte>[] _codes;

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

    // After the CNN part's own scratch: the first row of the tile held, the tile's colour terms, then the count of
    // the query's non-zero colour bins and the bins as (bin, value / 255) pairs.
    public int ScratchLength => _shape.ScratchLength + 1 + TileRows + 1 + (2 * _codes.Length);

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

    public float ScoreErrorBound(ReadOnlySpan<float> query) =>
        _codeError == 0 ? 0 : TensorPrimitives.SumOfMagnitudes(query[_shapeDimension..]) * _codeError * 1.001f;

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

    public void CopyRow(int row, Span<float> destination)
    {
        _shape.CopyRow(row, destination[.._shapeDimension]);
        _colourRows.CopyRow(row, destination[_shapeDimension..]);
    }

    public void PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch)
    {
        _shape.PrepareQuery(query[.._shapeDimension], scratch[.._shape.ScratchLength]);
        var own = scratch[_shape.ScratchLength..];
        own[0] = -1;
        var bins = own[(1 + TileRows)..];
        var colour = query[_shapeDimension..];
        var count = 0;
        for (var bin = 0; bin < colour.Length; bin++)
        {
            if (colour[bin] != 0)
            {
                bins[1 + (2 * count)] = bin;
                bins[2 + (2 * count)] = colour[bin] / 255f;
                count++;
            }
        }

        bins[0] = count;
    }

    public void Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch)
    {
        _shape.Score(query[.._shapeDimension], start, scores, scratch[.._shape.ScratchLength]);
        var own = scratch[_shape.ScratchLength..];
        var tile = own.Slice(1, TileRows);
        var bins = own[(1 + TileRows)..];
        if (bins[0] == 0)
        {
            return; // colour weight 0: the scan of a catalogue without colour
        }

        var tileStart = (int)own[0];
        if (tileStart < 0 || start < tileStart || start + scores.Length > tileStart + TileRows)
        {
            tileStart = start;
            var rows = tile[..Math.Min(TileRows, Count - start)];
            rows.Clear();
            var count = (int)bins[0];
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 4 <= count; i += 4)
                {
                    AddFourColumns(bins.Slice(1 + (2 * i), 8), start, rows);
                }
            }

            for (; i < count; i++)
            {
                AddColumn(_codes[(int)bins[1 + (2 * i)]].AsSpan(start, rows.Length), bins[2 + (2 * i)], rows);
            }

            own[0] = tileStart;
        }

        // Scores are -q.x: the colour term is subtracted.
        TensorPrimitives.Subtract(scores, tile.Slice(start - tileStart, scores.Length), scores);
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

    // tile += the four (bin, scale) pairs' columns, the tile read and written once for all four.
    private void AddFourColumns(ReadOnlySpan<float> pairs, int start, Span<float> tile)
    {
        ref var c0 = ref MemoryMarshal.GetReference(_codes[(int)pairs[0]].AsSpan(start, tile.Length));
        ref var c1 = ref MemoryMarshal.GetReference(_codes[(int)pairs[2]].AsSpan(start, tile.Length));
        ref var c2 = ref MemoryMarshal.GetReference(_codes[(int)pairs[4]].AsSpan(start, tile.Length));
        ref var c3 = ref MemoryMarshal.GetReference(_codes[(int)pairs[6]].AsSpan(start, tile.Length));
        var (s0, s1, s2, s3) = (Vector256.Create(pairs[1]), Vector256.Create(pairs[3]), Vector256.Create(pairs[5]), Vector256.Create(pairs[7]));
        ref var t = ref MemoryMarshal.GetReference(tile);
        var full = tile.Length & ~31;
        for (nuint r = 0; r < (nuint)full; r += 32)
        {
            var a0 = Vector256.LoadUnsafe(ref t, r);
            var a1 = Vector256.LoadUnsafe(ref t, r + 8);
            var a2 = Vector256.LoadUnsafe(ref t, r + 16);
            var a3 = Vector256.LoadUnsafe(ref t, r + 24);
            Accumulate(Vector256.LoadUnsafe(ref c0, r), s0, ref a0, ref a1, ref a2, ref a3);
            Accumulate(Vector256.LoadUnsafe(ref c1, r), s1, ref a0, ref a1, ref a2, ref a3);
            Accumulate(Vector256.LoadUnsafe(ref c2, r), s2, ref a0, ref a1, ref a2, ref a3);
            Accumulate(Vector256.LoadUnsafe(ref c3, r), s3, ref a0, ref a1, ref a2, ref a3);
            a0.StoreUnsafe(ref t, r);
            a1.StoreUnsafe(ref t, r + 8);
            a2.StoreUnsafe(ref t, r + 16);
            a3.StoreUnsafe(ref t, r + 24);
        }

        for (var r = full; r < tile.Length; r++)
        {
            tile[r] += (Unsafe.Add(ref c0, r) * pairs[1]) + (Unsafe.Add(ref c1, r) * pairs[3]) + (Unsafe.Add(ref c2, r) * pairs[5]) + (Unsafe.Add(ref c3, r) * pairs[7]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector256<byte> codes, Vector256<float> scale, ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3)
    {
        var (low, high) = Vector256.Widen(codes);
        var (w0, w1) = Vector256.Widen(low);
        var (w2, w3) = Vector256.Widen(high);
        a0 = Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(w0), scale, a0);
        a1 = Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(w1), scale, a1);
        a2 = Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(w2), scale, a2);
        a3 = Vector256.MultiplyAddEstimate(Vector256.ConvertToSingle(w3), scale, a3);
    }

    // tile += scale * codes, widening bytes to floats a vector at a time.
    private static void AddColumn(ReadOnlySpan<byte> codes, float scale, Span<float> tile)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var q = new Vector<float>(scale);
            var f = Vector<float>.Count;
            for (; i + Vector<byte>.Count <= codes.Length; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(codes[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                var t = tile[i..];
                (new Vector<float>(t) + (Vector.ConvertToSingle(a) * q)).CopyTo(t);
                (new Vector<float>(t[f..]) + (Vector.ConvertToSingle(b) * q)).CopyTo(t[f..]);
                (new Vector<float>(t[(2 * f)..]) + (Vector.ConvertToSingle(c) * q)).CopyTo(t[(2 * f)..]);
                (new Vector<float>(t[(3 * f)..]) + (Vector.ConvertToSingle(d) * q)).CopyTo(t[(3 * f)..]);
            }
        }

        for (; i < codes.Length; i++)
        {
            tile[i] += codes[i] * scale;
        }
    }

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
