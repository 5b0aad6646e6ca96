using Azure.Core;
using Azure.Core.Pipeline;

namespace ProductSearch.Testing;

/// <summary>Counts the storage requests a client sends, and signals each write: deterministic, unlike time.</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextWrite = NewSignal();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the client next sends a request that is not a read (an insert, upsert, merge or delete).</summary>
    public Task NextWriteAsync()
    {
        lock (_gate)
        {
            return _nextWrite.Task;
        }
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            return;
        }

        TaskCompletionSource written;
        lock (_gate)
        {
            written = _nextWrite;
            _nextWrite = NewSignal();
        }

        written.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
