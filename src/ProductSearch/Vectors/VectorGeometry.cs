namespace ProductSearch.Vectors;

/// <summary>
/// What the rows of a matrix are, fixed when the matrix is made: the scan ranks unit-length rows by -q.x
/// (|q - x|^2 = 2 - 2 q.x) and any other rows by the direct distance, so no caller passes it per search.
/// </summary>
internal enum VectorGeometry
{
    /// <summary>Every row and query has length 1 (the model descriptor's <c>l2Normalize</c>, always on in serving).</summary>
    UnitLength,

    /// <summary>Rows of any length, ranked by the direct Euclidean distance.</summary>
    Euclidean,
}
