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

    /// <summary>
    /// Checking and decoding took longer than <see cref="ImageLimits.DecodeTimeout"/>, set far above the slowest
    /// legitimate image. Recorded like the others; reconciliation tries such an image again once per run, in case
    /// the instance was only overloaded.
    /// </summary>
    DecodeTimeout,
}

/// <summary>A problem with the bytes themselves: recorded with its reason, not retried by the trigger.</summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException(ImageRejectionReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public ImageRejectionReason Reason { get; }
}
