using System.Text.Json;
using Azure.Storage.Blobs;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary><c>eval</c> through the real indexing path on Azurite, with generated photos.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class EvalCommandTests(AzuriteFixture azurite) : IDisposable
{
    private const int Products = 4;
    private readonly string _root = Directory.CreateTempSubdirectory("eval-manifests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task TwoManifestsWithTheSameFileNamesEachGetTheirOwnFigures()
    {
        // The same names and labels; in the second set each product's second shot shows the next product instead.
        var honest = WriteManifest("honest", (product, shot) => ProductPhotoGenerator.Jpeg(product, shot));
        var swapped = WriteManifest("swapped", (product, shot) => ProductPhotoGenerator.Jpeg(shot == 0 ? product : (product + 1) % Products, shot));

        var (first, firstSummary) = await EvalAsync(honest, "first");
        var (second, _) = await EvalAsync(swapped, "second");

        // Scored on the first run's blobs, the second set would look as good as the first.
        Assert.True(first >= 0.75, $"recall@1 of the honest set: {first}");
        Assert.True(second <= 0.25, $"recall@1 of the swapped set: {second}");
        var leftOver = new BlobServiceClient(azurite.ConnectionString).GetBlobContainers(prefix: "evaltest").ToList();
        Assert.Empty(leftOver);
        // The subsets are the manifest's first folders, named as the data names them, whatever their number.
        Assert.Equal(["north", "south"], firstSummary.Subsets);
        Assert.Equal(["north", "south"], firstSummary.CategoryPrecisionKeys);
        Assert.Contains("category P@4 north", firstSummary.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Magento", firstSummary.Output, StringComparison.Ordinal);
    }

    private sealed record Summary(string[] Subsets, string[] CategoryPrecisionKeys, string Output);

    private async Task<(double RecallAt1, Summary Summary)> EvalAsync(string manifest, string name)
    {
        var output = Path.Combine(_root, "out-" + name);
        var result = await CliRun.RunAsync(
            "eval", "--manifest", manifest, "--model", CliCatalog.Model, "--resize", "squash", "--storage", azurite.ConnectionString,
            "--container", "evaltest", "--output", output, "--colour-weights", "0", "-p", "2");
        Assert.True(result.ExitCode == 0, result.Output);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        // The headline is read by its key, as the quality gate reads it.
        var overall = summary.RootElement.GetProperty("headline").GetProperty("overall");
        return (overall.GetProperty("productRecallAt1").GetDouble(), new Summary(
            [.. summary.RootElement.GetProperty("subsets").EnumerateArray().Select(s => s.GetString()!)],
            [.. overall.GetProperty("categoryPrecisionAt4").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)],
            result.Output));
    }

    private string WriteManifest(string set, Func<int, int, byte[]> photo)
    {
        var folder = Path.Combine(_root, set);
        Directory.CreateDirectory(Path.Combine(folder, "north", "tops"));
        Directory.CreateDirectory(Path.Combine(folder, "south", "tops"));
        var lines = new List<string> { "path,category,product_id" };
        for (var product = 0; product < Products; product++)
        {
            for (var shot = 0; shot < 2; shot++)
            {
                // Two subsets (say, two shops' photos), each product in one of them.
                var path = $"{(product < Products / 2 ? "north" : "south")}/tops/p{product}-s{shot}.jpg";
                File.WriteAllBytes(Path.Combine(folder, path), photo(product, shot));
                lines.Add($"{path},tops,p{product}");
            }
        }

        var manifest = Path.Combine(folder, "manifest.csv");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }
}
