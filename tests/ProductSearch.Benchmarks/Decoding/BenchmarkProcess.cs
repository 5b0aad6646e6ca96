using System.Diagnostics;
using System.Text.Json;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// This benchmark executable started again as another process with a hidden command (a role in a benchmark that must
/// not share the measuring process), spoken to in JSON lines: requests on its standard input, answers on its standard
/// output behind <see cref="Marker"/> (anything else it prints goes to the console).
/// </summary>
internal sealed class BenchmarkProcess : IAsyncDisposable
{
    /// <summary>Starts an answer line, so a stray write to standard output is never taken for one.</summary>
    public const string Marker = "@bench ";

    private readonly Process _process;

    private BenchmarkProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public static BenchmarkProcess Start(string command)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable is unknown.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchmarkProcess).Assembly.Location);
        }

        start.ArgumentList.Add(command);
        return new BenchmarkProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start the benchmark's {command}."));
    }

    public async Task SendAsync<T>(T message)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await _process.StandardInput.FlushAsync();
    }

    public async Task<T> ReceiveAsync<T>()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize<T>(line.AsSpan(Marker.Length))
                    ?? throw new InvalidDataException($"Process {Id} answered null.");
            }

            Console.WriteLine(line);
        }

        throw new InvalidOperationException($"Benchmark process {Id} exited (code {(_process.HasExited ? _process.ExitCode : -1)}) before it answered.");
    }

    public async Task<TAnswer> AskAsync<TAnswer>(object request)
    {
        await SendAsync(request);
        return await ReceiveAsync<TAnswer>();
    }

    /// <summary>Closes its input, which tells it to finish, and waits until it has.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The started side: the next request from the process that started this one, or null once it closed our input.</summary>
    public static async Task<T?> ReadRequestAsync<T>()
        where T : class => await Console.In.ReadLineAsync() is { } line ? JsonSerializer.Deserialize<T>(line) : null;

    /// <summary>The started side: one answer to the process that started this one.</summary>
    public static void Answer<T>(T message)
    {
        Console.Out.WriteLine(Marker + JsonSerializer.Serialize(message));
        Console.Out.Flush();
    }
}
