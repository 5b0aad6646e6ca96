using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;

namespace ProductSearch.Decoding;

/// <summary>
/// Admission control in front of the decoder processes, taken before a photo's bytes are read: at most
/// <see cref="MaxPhotos"/> photos at once, and their memory (each its body, from its declared length or else the
/// upload limit, plus the most one decode may hold, the decoder processes' memory limit) within
/// <see cref="BudgetBytes"/>. Waiters are admitted in arrival order. A photo search waits at most
/// <see cref="AdmissionOptions.MaxWait"/> and is then shed (<see cref="DecodersBusyException"/>, a 503 with
/// Retry-After); indexing waits as long as it takes, since a busy instance must never cost a good photo its row.
/// </summary>
public sealed class DecodeAdmission
{
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxWait;
    private readonly long _maxBody;
    private readonly long _decodeFootprint;
    private int _admitted;
    private long _admittedBytes;

    // A moving average of how long a photo holds its admission, for the Retry-After of a shed one.
    private double _averageHoldSeconds = 1;

    public DecodeAdmission(
        IOptions<AdmissionOptions> options, IOptions<ImageLimits> limits, IOptions<DecoderOptions> decoders, TimeProvider time, ILogger<DecodeAdmission> logger)
    {
        var sizing = Size(options.Value, limits.Value, decoders.Value);
        if (sizing.Problem is { } problem)
        {
            throw new OptionsValidationException(AdmissionOptions.Section, typeof(AdmissionOptions), [problem]);
        }

        (MaxPhotos, BudgetBytes, InstanceMemoryBytes) = (sizing.MaxPhotos, sizing.BudgetBytes, sizing.InstanceMemoryBytes);
        _maxWait = options.Value.MaxWait;
        _maxBody = limits.Value.MaxBytes;
        _decodeFootprint = decoders.Value.MemoryLimitMegabytes * 1024L * 1024;
        _time = time;
        logger.LogInformation(
            "Admitting {MaxPhotos} photos at once within {BudgetMegabytes} MB (instance {InstanceMegabytes} MB), about {Concurrent} of the largest at once; a photo search waits {MaxWaitMs} ms at most",
            MaxPhotos, BudgetBytes >> 20, InstanceMemoryBytes >> 20, Math.Min(MaxPhotos, BudgetBytes / (_maxBody + _decodeFootprint)), _maxWait.TotalMilliseconds);
    }

    /// <summary>Photos admitted at once.</summary>
    public int MaxPhotos { get; }

    /// <summary>The memory the admitted photos may hold together.</summary>
    public long BudgetBytes { get; }

    /// <summary>The instance's memory the budget was worked out from.</summary>
    public long InstanceMemoryBytes { get; }

    /// <summary>Photos waiting for admission now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Photos admitted now.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>
    /// The sizing from the settings and the instance: explicit settings win; otherwise the budget is the instance's
    /// memory less the reserve, and the photos twice the decoder processes (one decoding, one with its bytes ready).
    /// <see cref="AdmissionSizing.Problem"/> says why it cannot work (the budget cannot hold one photo of the largest size).
    /// </summary>
    public static AdmissionSizing Size(AdmissionOptions options, ImageLimits limits, DecoderOptions decoders)
    {
        var instance = options.InstanceMemoryMegabytes > 0 ? options.InstanceMemoryMegabytes * 1024L * 1024 : InstanceMemory.DetectBytes();
        var budget = options.MemoryBudgetMegabytes > 0 ? options.MemoryBudgetMegabytes * 1024L * 1024 : instance - (options.ReservedMegabytes * 1024L * 1024);
        var largest = limits.MaxBytes + (decoders.MemoryLimitMegabytes * 1024L * 1024);
        var problem = budget >= largest ? null :
            $"The decode memory budget ({budget >> 20} MB: {AdmissionOptions.Section}:{nameof(AdmissionOptions.MemoryBudgetMegabytes)}, or the instance's {instance >> 20} MB less "
            + $"{AdmissionOptions.Section}:{nameof(AdmissionOptions.ReservedMegabytes)}) cannot hold one photo of the largest size ({largest >> 20} MB: "
            + $"{ImageLimits.Section}:{nameof(ImageLimits.MaxBytes)} plus {DecoderOptions.Section}:{nameof(DecoderOptions.MemoryLimitMegabytes)}). Lower those or raise the budget.";
        return new AdmissionSizing(options.MaxPhotos > 0 ? options.MaxPhotos : 2 * decoders.EffectiveProcesses, budget, instance, problem);
    }

    /// <summary>For a photo search: admitted within the wait, or <see cref="DecodersBusyException"/>.</summary>
    /// <param name="length">The body's declared length, if known.</param>
    public Task<IDisposable> EnterAsync(long? length, CancellationToken cancellationToken) => EnterAsync(length, _maxWait, cancellationToken);

    /// <summary>For indexing: waits until admitted, however long that takes.</summary>
    public Task<IDisposable> WaitAsync(long? length, CancellationToken cancellationToken) => EnterAsync(length, Timeout.InfiniteTimeSpan, cancellationToken);

    private async Task<IDisposable> EnterAsync(long? length, TimeSpan wait, CancellationToken cancellationToken)
    {
        var cost = Math.Min(length is > 0 and var n ? n : _maxBody, _maxBody) + _decodeFootprint;
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(cost))
            {
                return Admit(cost);
            }

            waiter = new Waiter(cost);
            waiter.Node = _waiters.AddLast(waiter);
        }

        using var expiry = wait == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(wait, _time);
        using var gaveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry?.Token ?? CancellationToken.None);
        await using (gaveUp.Token.Register(() => Withdraw(waiter)))
        {
            if (await waiter.Admitted.Task)
            {
                return new Ticket(this, cost, _time.GetTimestamp());
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new DecodersBusyException(RetryAfter());
    }

    private bool Fits(long cost) => _admitted == 0 || (_admitted < MaxPhotos && _admittedBytes + cost <= BudgetBytes);

    private Ticket Admit(long cost)
    {
        _admitted++;
        _admittedBytes += cost;
        return new Ticket(this, cost, _time.GetTimestamp());
    }

    private void Withdraw(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return; // Admitted meanwhile: the ticket is the caller's.
            }

            _waiters.Remove(waiter.Node);
        }

        waiter.Admitted.TrySetResult(false);
    }

    private void Release(long cost, long since)
    {
        var held = _time.GetElapsedTime(since).TotalSeconds;
        List<Waiter> admitted = [];
        lock (_lock)
        {
            _averageHoldSeconds = (0.8 * _averageHoldSeconds) + (0.2 * held);
            _admitted--;
            _admittedBytes -= cost;
            while (_waiters.First is { } next && Fits(next.Value.Cost))
            {
                _waiters.RemoveFirst();
                _admitted++;
                _admittedBytes += next.Value.Cost;
                admitted.Add(next.Value);
            }
        }

        // Outside the lock: a continuation may run inline.
        foreach (var waiter in admitted)
        {
            waiter.Admitted.TrySetResult(true);
        }
    }

    // Long enough for the photos ahead to clear, from how long photos have held their admission lately.
    private TimeSpan RetryAfter()
    {
        lock (_lock)
        {
            var seconds = _averageHoldSeconds * (_waiters.Count + _admitted + 1) / MaxPhotos;
            return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(seconds), 1, 30));
        }
    }

    private sealed class Waiter(long cost)
    {
        public long Cost { get; } = cost;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<bool> Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Ticket(DecodeAdmission admission, long cost, long since) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                admission.Release(cost, since);
            }
        }
    }
}

/// <summary>What <see cref="DecodeAdmission.Size"/> worked out; <see cref="Problem"/> is why it cannot work, if it cannot.</summary>
public sealed record AdmissionSizing(int MaxPhotos, long BudgetBytes, long InstanceMemoryBytes, string? Problem);
