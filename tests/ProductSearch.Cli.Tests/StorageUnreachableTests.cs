using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProductSearch.Cli.Catalog;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>
/// Nothing listening where the storage should be: the command says so, with how to start Azurite, and exits with
/// its own code at once instead of after the storage clients' half minute of retries.
/// </summary>
public sealed class StorageUnreachableTests
{
    [Theory]
    [InlineData("stats")]
    [InlineData("backfill", "--model", "models/resnet18.json")]
    [InlineData("query", "--category", "men-tees", "--id", "a.jpg", "--model", "models/resnet18.json", "--json")]
    public async Task NothingListening_ExitsUnreachableWithTheAzuriteHint(params string[] command)
    {
        var started = Stopwatch.GetTimestamp();

        var result = await CliProcess.RunCliAsync(
            RepositoryPaths.Root, new Dictionary<string, string> { ["ProductStorage"] = ClosedPortConnectionString() }, command);

        // The bar is 10 s; the storage clients' retries took about 25.
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"took {Stopwatch.GetElapsedTime(started)}");
        Assert.Equal(StorageReachability.Unreachable, result.ExitCode);
        Assert.Contains("could not be reached", result.Output, StringComparison.Ordinal);
        Assert.Contains("npm run azurite", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_NothingListening_ExitsUnreachableWithTheAzuriteHint()
    {
        var result = await CliProcess.RunCliAsync(
            RepositoryPaths.Root, null, "eval", "--model", "models/resnet18.json", "--storage", ClosedPortConnectionString(), "--json");

        Assert.Equal(StorageReachability.Unreachable, result.ExitCode);
        Assert.Contains("npm run azurite", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output.Trim()); // --json output holds a document or nothing
    }

    /// <summary>Azurite's account on a loopback port that was free a moment ago and is closed now.</summary>
    private static string ClosedPortConnectionString()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}
