using System.Diagnostics;

namespace ProductSearch.Cli.Tests.Infrastructure;

/// <summary>What a CLI process printed on each stream and returned.</summary>
public sealed record CliProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}

/// <summary>
/// Runs a command line as its own process, with its own working folder, environment and redirected streams: what
/// in-process runs cannot show (working-folder lookups, output to a pipe, the JSON a program would read).
/// </summary>
public static class CliProcess
{
    /// <summary>The built CLI beside the tests (the project reference copies it, with models/).</summary>
    public static string CliAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "product-search.dll");

    /// <summary>Long enough for a cold <c>dotnet run</c> build on a busy machine; a hang still fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary><c>product-search &lt;args&gt;</c>, run from <paramref name="workingDirectory"/>.</summary>
    public static Task<CliProcessResult> RunCliAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunAsync("dotnet", [CliAssembly, .. args], workingDirectory, environment);

    public static async Task<CliProcessResult> RunAsync(
        string fileName, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("COLUMNS"); // a test's own terminal width must not leak in
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return new CliProcessResult(process.ExitCode, await output, await error);
    }
}
