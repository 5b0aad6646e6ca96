using System.Numerics.Tensors;

namespace ProductSearch.Vectors;

/// <summary>
/// A category's rows (CNN vector, then colour descriptor, both unit length) searched by the weighted distance
/// d^2 = d_cnn^2 + w^2 d_colour^2, in one scan: with both blocks unit length, d^2 = 2 + 2w^2 - 2 (q_cnn.x_cnn + w^2 q_colour.x_colour),
/// so the inner store scans with a query whose colour block is scaled by w^2, and the few candidates kept are re-ranked
/// with the direct weighted distance. The distance reported is divided by sqrt(1 + w^2): the Euclidean distance between
/// the unit-length weighted concatenations, 0 to 2 whatever the weight, and exactly the CNN distance at w = 0.
/// </summary>
internal sealed class ColourWeightedRows : IScannableRows
{
    private readonly IEditableRows _rows;
    private readonly float[] _query;
    private readonly int _shapeDimension;
    private readonly float _weightSquared;

    /// <param name="query">The full query row (CNN vector then colour descriptor), unweighted.</param>
    public ColourWeightedRows(IEditableRows rows, float[] query, int colourDimension, float weight)
    {
        // The one-scan identity above holds only for unit-length blocks.
        if (rows.Geometry != VectorGeometry.UnitLength)
        {
            throw new ArgumentException("Colour weighting needs unit-length rows.", nameof(rows));
        }

        _rows = rows;
        _query = query;
        _shapeDimension = rows.Dimension - colourDimension;
        _weightSquared = weight * weight;
        ScanQuery = (float[])query.Clone();
        TensorPrimitives.Multiply(ScanQuery.AsSpan(_shapeDimension), _weightSquared, ScanQuery.AsSpan(_shapeDimension));
    }

    /// <summary>The query the scan reads: the colour block scaled by w^2.</summary>
    public float[] ScanQuery { get; }

    public int Dimension => _rows.Dimension;

    public int Count => _rows.Count;

    public int ScratchLength => _rows.ScratchLength;

    public int RerankMargin => _rows.RerankMargin;

    public VectorGeometry Geometry => _rows.Geometry;

    public void PrepareQuery(ReadOnlySpan<float> query, Span<float> scratch) => _rows.PrepareQuery(query, scratch);

    public float ScoreErrorBound(ReadOnlySpan<float> query) => _rows.ScoreErrorBound(query);

    public void Prefetch(int start, int rows) => _rows.Prefetch(start, rows);

    public void PrefetchForRerank(int row) => _rows.PrefetchForRerank(row);

    public void Score(ReadOnlySpan<float> query, int start, Span<float> scores, Span<float> scratch) =>
        _rows.Score(query, start, scores, scratch);

    public float Distance(ReadOnlySpan<float> query, int row, Span<float> scratch)
    {
        if (_rows is ShapeAndColourMatrix split)
        {
            var (shape, colour) = split.Distances(_query, row, scratch);
            return Combine(shape, colour, _weightSquared);
        }

        var x = scratch[..Dimension];
        _rows.CopyRow(row, x);
        return WeightedDistance(_query, x, _shapeDimension, _weightSquared);
    }

    /// <summary>sqrt((d_cnn^2 + w^2 d_colour^2) / (1 + w^2)) between two full rows whose colour block starts at <paramref name="shapeDimension"/>.</summary>
    public static float WeightedDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int shapeDimension, float weightSquared) => Combine(
        TensorPrimitives.Distance(a[..shapeDimension], b[..shapeDimension]),
        weightSquared == 0 ? 0 : TensorPrimitives.Distance(a[shapeDimension..], b[shapeDimension..]),
        weightSquared);

    private static float Combine(float shape, float colour, float weightSquared) =>
        weightSquared == 0 ? shape : MathF.Sqrt(((shape * shape) + (weightSquared * colour * colour)) / (1 + weightSquared));
}
