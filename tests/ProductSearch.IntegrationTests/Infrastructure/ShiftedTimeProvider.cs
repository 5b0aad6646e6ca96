namespace ProductSearch.IntegrationTests.Infrastructure;

/// <summary>The system clock moved by <see cref="Shift"/>: wall time and timestamps alike, so timers see it too.</summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Shift.TotalSeconds * TimestampFrequency);
}
