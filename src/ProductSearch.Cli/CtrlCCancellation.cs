namespace ProductSearch.Cli;

/// <summary>Turns the first Ctrl+C into a cancellation, so commands can stop cleanly and delete partial files.</summary>
internal sealed class CtrlCCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    public CtrlCCancellation() => Console.CancelKeyPress += OnCancelKeyPress;

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // A second Ctrl+C still kills the process.
        e.Cancel = !_source.IsCancellationRequested;
        _source.Cancel();
    }
}
