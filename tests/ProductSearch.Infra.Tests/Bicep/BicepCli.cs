using System.Diagnostics;
using System.Reflection;

namespace ProductSearch.Infra.Tests.Bicep;

internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Diagnostics => StandardOutput + StandardError;
}

/// <summary>Runs the Bicep CLI that the test project downloads from NuGet.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string> Executable = new(LocateExecutable);

    public static BicepResult Build(string bicepFile) => Run("build", bicepFile, "--stdout");

    public static BicepResult Lint(string bicepFile) => Run("lint", bicepFile);

    public static BicepResult Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {Executable.Value}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran longer than {Timeout}.");
        }

        return new BicepResult(process.ExitCode, standardOutput.Result, standardError.Result);
    }

    private static string LocateExecutable()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_CLI_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(attribute => attribute.Key == "BicepCliPath").Value;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("Bicep CLI not found; restore the test project or set BICEP_CLI_PATH.", path);
        }

        // NuGet does not promise to keep the execute bit of files it extracts.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }

        return path;
    }
}
