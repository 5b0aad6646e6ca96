namespace ProductSearch.Search;

/// <summary>
/// What a "more like" query is like: an indexed image (its stored row is the query, and it is left out of the answer,
/// with its whole product when the answer is one image per product) or a row made from a photo.
/// </summary>
public sealed record QuerySubject
{
    private QuerySubject(string? imageId, float[]? row) => (ImageId, Row) = (imageId, row);

    /// <summary>The indexed image the query is about; null for a photo.</summary>
    public string? ImageId { get; }

    /// <summary>The photo's query row (CNN vector, then colour); null for an indexed image.</summary>
    public float[]? Row { get; }

    public static QuerySubject Indexed(string imageId) => new(imageId, null);

    public static QuerySubject Photo(float[] row) => new(null, row);
}
