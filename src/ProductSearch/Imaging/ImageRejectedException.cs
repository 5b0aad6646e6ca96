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
    /// Checking and decoding needed more processor time than <see cref="ImageLimits.DecodeTimeout"/> (set far above the
    /// slowest legitimate image), or did not finish within the decoder's wall-time limit. Time spent waiting for a
    /// decoder or a core does not count, so a busy instance does not cause it: it is the file's own cost, not retried.
    /// </summary>
    DecodeTimeout,

    /// <summary>The decoder process died on these bytes (a crash in the decoder, which its process contained).</summary>
    DecoderCrashed,

    /// <summary>Decoding needed more memory than a decoder process may use.</summary>
    DecoderOutOfMemory,
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
