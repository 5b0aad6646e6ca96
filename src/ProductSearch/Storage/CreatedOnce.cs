namespace ProductSearch.Storage;

/// <summary>
/// A table or container created once per process. Racing first calls share one attempt; a failed or cancelled one
/// (storage down) is not kept, so the next call tries again, which a cached <c>Lazy&lt;Task&gt;</c> would not.
/// </summary>
internal sealed class CreatedOnce(Func<Task> create)
{
    private Task? _attempt;

    public Task EnsureAsync()
    {
        var attempt = Volatile.Read(ref _attempt);
        if (attempt is null || attempt.IsFaulted || attempt.IsCanceled)
        {
            attempt = create();
            Volatile.Write(ref _attempt, attempt);
        }

        return attempt;
    }
}
