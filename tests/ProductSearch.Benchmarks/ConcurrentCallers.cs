namespace ProductSearch.Benchmarks;

/// <summary>Concurrent callers sharing one list of work items, as requests or blob deliveries arrive at a host.</summary>
internal static class ConcurrentCallers
{
    /// <summary>Runs <paramref name="work"/> for items 0 .. count - 1, each item once, on <paramref name="callers"/> concurrent loops.</summary>
    public static async Task RunAsync(int callers, int count, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await work(i);
            }
        })));
    }
}
