namespace ProductSearch.Decoding;

/// <summary>The bounds the app holds each decoder process to, worked out once from the options.</summary>
internal sealed record DecoderLimits(TimeSpan ProcessorTime, TimeSpan WallTime, long MemoryBytes)
{
    /// <summary>How often a working decoder's processor time and wall time are looked at.</summary>
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a new process may take to say it is ready.</summary>
    public TimeSpan Start { get; init; } = TimeSpan.FromSeconds(60);
}
