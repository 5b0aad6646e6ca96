namespace ProductSearch.Imaging;

/// <summary>Why an image will never be indexed, however often it is retried.</summary>
public enum ImageRejectionReason
{
    Empty,
    TooLarge,
    NotAnImage,
    UnsupportedFormat,
    TooManyPixels,
    Corrupt,
    DecodeTimeout,
}

/// <summary>A permanent problem with the bytes themselves: not retried, reported with its reason.</summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException(ImageRejectionReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public ImageRejectionReason Reason { get; }
}
