using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace ProductSearch.Cli.Tests.Infrastructure;

/// <summary>What a command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output);

/// <summary>Runs the CLI's own command table in-process, writing to a wide test console so lines do not wrap.</summary>
public static class CliRun
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var console = new TestConsole().Width(400);
        var app = new CommandApp();
        app.Configure(config =>
        {
            Program.ConfigureCommands(config);
            config.ConfigureConsole(console);
        });
        var exitCode = await app.RunAsync(args);
        return new CliResult(exitCode, console.Output);
    }
}
