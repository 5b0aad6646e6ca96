using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>
/// The versions the README promises are the ones the pinned tools declare, <c>npm start</c> checks them before
/// anything else, and the pinned Azurite runs on this machine's Node.js, whatever its package declares.
/// </summary>
[Collection(CliAzuriteCollection.Name)]
public sealed partial class PrerequisiteTests(AzuriteFixture azurite)
{
    private static readonly string StartScript = Path.Combine("src", "ProductSearch.Functions", "start-local.sh");

    [Fact]
    public void ReadmePrerequisites_SayWhatThePinnedToolsDeclare()
    {
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "package-lock.json")));
        var azurite = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/azurite");
        var declaredNode = DeclaredMajor().Match(azurite.GetProperty("engines").GetProperty("node").GetString()!).Groups[1].Value;
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")));
        var sdkMajor = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!.Split('.')[0];
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

        Assert.Contains($".NET SDK {sdkMajor}", readme, StringComparison.Ordinal);
        Assert.Contains($"Azurite {azurite.GetProperty("version").GetString()} declares Node.js {declaredNode} or later", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinnedAzurite_RunsOnThisMachinesNode()
    {
        var node = await CliProcess.RunAsync("node", ["--version"], RepositoryPaths.Root, null);

        // The fixture started node_modules/.bin/azurite with this node; an answer proves it runs here.
        var properties = await new BlobServiceClient(azurite.ConnectionString).GetPropertiesAsync();
        Assert.Equal(0, node.ExitCode);
        Assert.Matches(@"^v\d+\.", node.Output.Trim());
        Assert.NotNull(properties.Value);
    }

    [Fact]
    public async Task StartCheck_PassesHereAndNamesTheVersionsFound()
    {
        var result = await CliProcess.RunAsync("bash", [StartScript, "--check"], RepositoryPaths.Root, null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Prerequisites: .NET SDK ", result.Output, StringComparison.Ordinal);
        Assert.Contains("Node.js v", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartCheck_RefusesANodeTooOldForAzuriteAndSaysWhichToInstall()
    {
        // This machine's node, but reporting an old version, first on the PATH.
        var folder = Directory.CreateTempSubdirectory("old-node-").FullName;
        try
        {
            var realNode = (await CliProcess.RunAsync("bash", ["-c", "command -v node"], RepositoryPaths.Root, null)).Output.Trim();
            var fake = Path.Combine(folder, "node");
            await File.WriteAllTextAsync(fake, $"#!/bin/sh\n[ \"$1\" = --version ] && {{ echo v18.19.0; exit 0; }}\nexec {realNode} \"$@\"\n");
            Assert.Equal(0, (await CliProcess.RunAsync("chmod", ["+x", fake], folder, null)).ExitCode);
            var path = folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

            var result = await CliProcess.RunAsync("bash", [StartScript, "--check"], RepositoryPaths.Root, new Dictionary<string, string> { ["PATH"] = path });

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("Node.js v18.19.0 is too old for Azurite, which declares node >=22.0.0", result.Error, StringComparison.Ordinal);
            Assert.Contains("install Node.js 22", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex(@">=\s*(\d+)")]
    private static partial Regex DeclaredMajor();
}
