using System.Text.RegularExpressions;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>Every command's --help renders, found by walking the COMMANDS lists from the root down.</summary>
public sealed partial class HelpTests
{
    [Fact]
    public async Task EveryCommandsHelp_RendersAndExitsZero()
    {
        var visited = new List<string>();
        var pending = new Queue<string[]>([[]]);
        while (pending.TryDequeue(out var path))
        {
            var result = await CliRun.RunAsync([.. path, "--help"]);
            var name = path.Length == 0 ? "(root)" : string.Join(' ', path);

            Assert.True(result.ExitCode == 0, $"{name} --help exited {result.ExitCode}:\n{result.Output}");
            Assert.Contains("USAGE:", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Error:", result.Output, StringComparison.Ordinal);
            visited.Add(name);
            foreach (var command in Subcommands(result.Output))
            {
                pending.Enqueue([.. path, command]);
            }
        }

        // The walk really went down: every command of the table, the model and attributes branches and their commands included.
        Assert.Equal(
            ["(root)", "model", "eval", "import", "backfill", "reindex", "query", "attributes", "reconcile", "stats", "model build-vgg16", "model quantize",
            "model fit-whitening", "attributes set", "attributes show", "attributes clear"],
            visited);
    }

    [Fact]
    public async Task EvalHelp_ShowsTheManifestOptionWithItsBrackets()
    {
        var result = await CliRun.RunAsync("eval", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("path,category,product_id[,style_id]", result.Output, StringComparison.Ordinal);
        Assert.Contains("--json", result.Output, StringComparison.Ordinal);
    }

    /// <summary>The names listed under COMMANDS: (four spaces, then the name; its description follows).</summary>
    private static IEnumerable<string> Subcommands(string help)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "COMMANDS:");
        if (start < 0)
        {
            yield break;
        }

        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0))
        {
            var match = CommandLine().Match(line);
            if (match.Success)
            {
                yield return match.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex(@"^\s{4}([a-z][a-z0-9-]*)\b")]
    private static partial Regex CommandLine();
}
