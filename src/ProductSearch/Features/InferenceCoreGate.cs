namespace ProductSearch.Features;

/// <summary>
/// Lends the processor's cores to inferences so that threads never outnumber cores. With <c>adaptive</c> on, a run
/// that is alone (no other extraction in flight, not even decoding) and finds every core idle takes them all (a lone
/// query gets the lowest latency, on a multi-threaded session), and under concurrency each run takes one core
/// (single-threaded runs side by side: the highest throughput, because decoding on a core then delays one run
/// instead of stalling every thread of a multi-threaded one at its next barrier). Without it, every run takes one slot.
/// </summary>
internal sealed class InferenceCoreGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _count;
    private readonly bool _adaptive;

    public InferenceCoreGate(int slots, bool adaptive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _count = slots;
        _adaptive = adaptive && slots > 1;
        _slots = new SemaphoreSlim(slots, slots);
    }

    /// <summary>Waits for a slot; returns how many it holds (all of them, or one), to hand back to <see cref="Release"/>.</summary>
    /// <param name="alone">
    /// No other extraction is in flight. Idle cores are not enough: another request may be decoding on one, and would
    /// stall a run on all cores, most of all with a small model where decoding is a large share of the work
    /// (docs/performance.md, "Threads versus parallel requests").
    /// </param>
    public async ValueTask<int> AcquireAsync(bool alone, CancellationToken cancellationToken)
    {
        if (_adaptive && alone && TryTakeAll())
        {
            return _count;
        }

        await _slots.WaitAsync(cancellationToken);
        return 1;
    }

    public void Release(int slots) => _slots.Release(slots);

    /// <summary>True when <paramref name="slots"/> is every slot: the caller may run on all cores.</summary>
    public bool IsAll(int slots) => slots == _count;

    public void Dispose() => _slots.Dispose();

    // Never blocks: two callers racing for the last slots both give up and queue for one slot each.
    private bool TryTakeAll()
    {
        if (_slots.CurrentCount < _count)
        {
            return false;
        }

        var taken = 0;
        while (taken < _count && _slots.Wait(0))
        {
            taken++;
        }

        if (taken == _count)
        {
            return true;
        }

        if (taken > 0)
        {
            _slots.Release(taken);
        }

        return false;
    }
}
