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

    /// <summary>The bytes end before the image does (an interrupted upload), or the header promises more pixels than the data holds.</summary>
    Truncated,
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

    /// <summary>
    /// False only for a decode timeout: a busy instance can be slow on a good image, so the blob trigger
    /// retries that one (the retries are bounded by the poison threshold); everything else is in the bytes.
    /// </summary>
    public bool IsPermanent => Reason != ImageRejectionReason.DecodeTimeout;
}
