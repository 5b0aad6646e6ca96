namespace ProductSearch.Vectors;

/// <summary>
/// How a category index keeps its vectors: float32 or float16 rows (<c>Search:CompactVectors</c>),
/// optionally with int8 codes the scan reads first (<c>Search:Int8Scan</c>); a model's colour block is kept beside
/// those rows (<see cref="ShapeAndColourMatrix"/>) so that a scan reads only the colour bins its query has.
/// </summary>
public readonly record struct RowFormat(bool Float16 = false, bool Int8Scan = false)
{
    /// <summary>Empty rows of <paramref name="dimension"/> values, the last <paramref name="colourDimension"/> of them colour.</summary>
    internal IEditableRows Create(int dimension, int colourDimension = 0) => colourDimension > 0
        ? new ShapeAndColourMatrix(Create(dimension - colourDimension), colourDimension)
        : Wrap(Float16 ? new Float16VectorMatrix(dimension) : new VectorMatrix(dimension));

    /// <summary>The loaded rows in this storage: float32 rows without colour are taken as they are, not copied.</summary>
    internal IEditableRows From(VectorMatrix loaded, int colourDimension = 0)
    {
        if (colourDimension == 0)
        {
            return Wrap(Float16 ? Float16VectorMatrix.From(loaded) : loaded);
        }

        var format = this;
        return ShapeAndColourMatrix.From(loaded, colourDimension, shape => format.From(shape));
    }

    private IEditableRows Wrap(IEditableRows rows) => Int8Scan ? new Int8PrefilteredMatrix(rows) : rows;
}
