using ProductSearch.Storage;

namespace ProductSearch.Search;

/// <summary>
/// How far <see cref="CategoryVectorCache"/> has read one category's change log: the poll position, when the next
/// poll is due, the log rows already applied inside the lookback window, and the gate that lets one refresh run
/// at a time. The cache owns it; the index it feeds knows nothing of the log.
/// </summary>
internal sealed class ChangeLogCursor : IDisposable
{
    // Log rows inside the lookback window that are already applied, so a re-read window costs no point reads.
    private readonly Dictionary<string, long> _appliedLogRows = new(StringComparer.Ordinal);

    public ChangeLogCursor(long polledThroughTicks) => PolledThroughTicks = polledThroughTicks;

    /// <summary>Writer-clock ticks up to which the change log has been read.</summary>
    public long PolledThroughTicks { get; private set; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> from which the next query polls the log.</summary>
    public long NextCheckTimestamp { get; set; }

    public SemaphoreSlim RefreshGate { get; } = new(1, 1);

    public bool IsApplied(string logRowKey) => _appliedLogRows.ContainsKey(logRowKey);

    /// <summary>Records a poll: the rows it applied, remembered until they fall out of the window, and its position.</summary>
    public void Advance(IEnumerable<ChangeLogEntry> applied, long polledThroughTicks, long forgetBeforeTicks)
    {
        foreach (var entry in applied)
        {
            _appliedLogRows[entry.RowKey] = entry.Ticks;
        }

        foreach (var stale in _appliedLogRows.Where(e => e.Value < forgetBeforeTicks).Select(e => e.Key).ToList())
        {
            _appliedLogRows.Remove(stale);
        }

        PolledThroughTicks = polledThroughTicks;
    }

    public void Dispose() => RefreshGate.Dispose();
}
