using System.Text.Json;
using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>
/// <c>--model models/...</c> as the docs write it works from the repository root and from any other folder, and a
/// missing ONNX file is reported with the command that builds it.
/// </summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class ModelPathTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ModelRelativeToTheRepository_WorksFromTheRootAndFromAnotherFolder()
    {
        var catalog = await StudioCatalog.GetAsync(azurite);
        var elsewhere = Directory.CreateTempSubdirectory("cli-cwd-").FullName;
        try
        {
            string[] args = catalog.Args("query", "--category", "studio", "--id", "p1-s0.jpg", "--group", "image", "--top", "2", "--json");

            var fromRoot = await CliProcess.RunCliAsync(RepositoryPaths.Root, null, args);
            var fromElsewhere = await CliProcess.RunCliAsync(elsewhere, null, args);

            Assert.True(fromRoot.ExitCode == 0, fromRoot.ToString());
            Assert.True(fromElsewhere.ExitCode == 0, fromElsewhere.ToString());
            Assert.Equal(["p1-s1.jpg", "p1-s2.jpg"], ResultIds(fromRoot.Output).Order(StringComparer.Ordinal));
            Assert.Equal(ResultIds(fromRoot.Output), ResultIds(fromElsewhere.Output));
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Theory]
    [InlineData("resnet18-l3l4-int8.json", "resnet18-int8.onnx", "dotnet run --project src/ProductSearch.Cli -- model quantize --model models/resnet18.json --photos")]
    [InlineData("vgg16.json", "vgg16-notop.onnx", "dotnet run --project src/ProductSearch.Cli -- model build-vgg16")]
    public async Task MissingOnnxFile_MessageNamesTheCommandThatBuildsIt(string descriptor, string onnxFile, string command)
    {
        // The descriptor as shipped, but pointing at a folder where its file surely is not (a checkout may have built it).
        var folder = Directory.CreateTempSubdirectory("cli-missing-").FullName;
        try
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "models", descriptor)))!;
            json["onnxFile"] = Path.Combine(folder, onnxFile);
            var copy = Path.Combine(folder, descriptor);
            await File.WriteAllTextAsync(copy, json.ToJsonString());

            var result = await CliProcess.RunCliAsync(RepositoryPaths.Root, null, "backfill", "--model", copy);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains($"is missing: {Path.Combine(folder, onnxFile)}", result.Output + result.Error, StringComparison.Ordinal);
            Assert.Contains(command, result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task QuantizedModel_ServesThroughTheInt8DescriptorBesideIt()
    {
        await using var catalog = new CliCatalog(azurite);
        var folder = Directory.CreateTempSubdirectory("cli-int8-").FullName;
        try
        {
            var photos = Directory.CreateDirectory(Path.Combine(folder, "photos")).FullName;
            for (var product = 0; product < 4; product++)
            {
                var bytes = ProductPhotoGenerator.Jpeg(product, 0);
                await File.WriteAllBytesAsync(Path.Combine(photos, $"p{product}.jpg"), bytes);
                await catalog.UploadAsync($"tees/p{product}.jpg", bytes, $"p{product}");
            }

            File.Copy(Path.Combine(RepositoryPaths.Root, "models", "resnet18-l3l4-int8.json"), Path.Combine(folder, "resnet18-l3l4-int8.json"));
            var quantize = await CliProcess.RunCliAsync(
                RepositoryPaths.Root, null, "model", "quantize", "--model", "models/resnet18.json", "--photos", photos, "--output", Path.Combine(folder, "resnet18-int8.onnx"));
            Assert.True(quantize.ExitCode == 0, quantize.ToString());

            var backfill = await CliProcess.RunCliAsync(RepositoryPaths.Root, null, catalog.Args("backfill", "--model", Path.Combine(folder, "resnet18-l3l4-int8.json"), "--json"));

            Assert.True(backfill.ExitCode == 0, backfill.ToString());
            using var report = JsonDocument.Parse(backfill.Output);
            Assert.Equal("resnet18-imagenet-avg-l3l4-int8", report.RootElement.GetProperty("model").GetString());
            Assert.Equal(4, report.RootElement.GetProperty("indexed").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static List<string> ResultIds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
    }
}
