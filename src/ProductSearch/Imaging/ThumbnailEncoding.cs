namespace ProductSearch.Imaging;

/// <summary>What a thumbnail is: a JPEG at most <paramref name="LongSide"/> pixels on its long side, at <paramref name="Quality"/>.</summary>
public sealed record ThumbnailEncoding(int LongSide, int Quality)
{
    public const int MinLongSide = 32;
    public const int MaxLongSide = 2048;

    /// <summary>The media type of every thumbnail.</summary>
    public const string ContentType = "image/jpeg";

    /// <summary>The file extension of every thumbnail.</summary>
    public const string Extension = ".jpg";

    /// <summary>Throws when a value is out of range: the decoder is told these over a pipe, so it checks them again.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LongSide, MinLongSide, nameof(LongSide));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(LongSide, MaxLongSide, nameof(LongSide));
        ArgumentOutOfRangeException.ThrowIfLessThan(Quality, 1, nameof(Quality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Quality, 100, nameof(Quality));
    }
}
