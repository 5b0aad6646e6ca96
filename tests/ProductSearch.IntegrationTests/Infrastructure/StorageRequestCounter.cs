using Azure.Core;
using Azure.Core.Pipeline;

namespace ProductSearch.IntegrationTests.Infrastructure;

/// <summary>Counts the storage requests a client sends: deterministic, unlike time.</summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
