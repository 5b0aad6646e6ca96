namespace ProductSearch.Decoding;

/// <summary>
/// The instance is decoding all it may (<see cref="DecodeAdmission"/>) and the photo was not admitted within the wait:
/// not a problem with the photo, so the client should send it again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class DecodersBusyException(TimeSpan retryAfter)
    : Exception($"Every image decoder is busy; try again in {retryAfter.TotalSeconds:0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
