using Azure.Core;
using Azure.Core.Pipeline;

namespace ProductSearch.Testing;

/// <summary>Counts the storage requests a client sends, and signals each write as it is sent and as it is answered: deterministic, unlike time.</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextWrite = NewSignal();
    private TaskCompletionSource _nextAnsweredWrite = NewSignal();
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

    /// <summary>
    /// Completes when storage next answers such a request: from then on a read sees the write. (Re-checking a condition
    /// when a write is only sent can read storage before the write lands, and then wait for a write that never comes.)
    /// </summary>
    public Task NextAnsweredWriteAsync()
    {
        lock (_gate)
        {
            return _nextAnsweredWrite.Task;
        }
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            return;
        }

        Signal(ref _nextWrite);
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
        {
            Signal(ref _nextAnsweredWrite);
        }
    }

    private void Signal(ref TaskCompletionSource next)
    {
        TaskCompletionSource signalled;
        lock (_gate)
        {
            signalled = next;
            next = NewSignal();
        }

        signalled.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
