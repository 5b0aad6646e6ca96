using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ProductSearch.Cli.Tests.Infrastructure;
using ProductSearch.Indexing;
using ProductSearch.Tooling.Backfill;

namespace ProductSearch.Cli.Tests;

[Collection(CliAzuriteCollection.Name)]
public sealed class ReindexCommandTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cli-reindex-").FullName;

    [Fact]
    public async Task Reindex_OtherModel_FillsItsOwnTableAndLeavesTheServingTableAlone()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("studio/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        await catalog.UploadAsync("studio/b.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("backfill"))).ExitCode);
        var (descriptor, modelId) = OtherModel();
        var target = ModelVectorTable.NameFor(modelId);
        catalog.OwnTable(target);

        var result = await CliRun.RunAsync(catalog.Args("reindex", "--model", descriptor));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Indexed 2, skipped 0 (already current), failed 0, of 2 images.", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Storage__VectorTable={target}", result.Output, StringComparison.Ordinal);
        Assert.Equal([modelId, modelId], await ModelIdsAsync(catalog.Tables.GetTableClient(target)));
        Assert.Equal([CliCatalog.ModelId, CliCatalog.ModelId], await ModelIdsAsync(catalog.Tables.GetTableClient(catalog.Table)));
    }

    [Fact]
    public async Task Reindex_RunAgain_IndexesOnlyImagesAddedInBetween()
    {
        await using var catalog = new CliCatalog(azurite);
        await catalog.UploadAsync("studio/a.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        var (descriptor, modelId) = OtherModel();
        catalog.OwnTable(ModelVectorTable.NameFor(modelId));
        Assert.Equal(0, (await CliRun.RunAsync(catalog.Args("reindex", "--model", descriptor))).ExitCode);
        await catalog.UploadAsync("studio/b.jpg", ProductPhotoGenerator.Jpeg(1, 0));

        var again = await CliRun.RunAsync(catalog.Args("reindex", "--model", descriptor));

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Indexed 1, skipped 1 (already current), failed 0, of 2 images.", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindex_WithoutModel_ExitsNonZeroWithMessage()
    {
        var result = await CliRun.RunAsync("reindex");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("reindex needs --model", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The bundled ResNet18 with max pooling under an id of its own: another model, as far as the catalogue can tell.</summary>
    private (string Descriptor, string ModelId) OtherModel()
    {
        var models = Path.Combine(AppContext.BaseDirectory, "models");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(models, "resnet18.json")))!;
        var modelId = "resnet18-max-" + Guid.NewGuid().ToString("N")[..8];
        json["id"] = modelId;
        json["onnxFile"] = Path.Combine(models, "resnet18.onnx");
        json["output"]!["pooling"] = "max";
        var path = Path.Combine(_folder, modelId + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return (path, modelId);
    }

    private static async Task<List<string>> ModelIdsAsync(TableClient table)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter: "RowKey lt '~'", select: ["ModelId"]))
        {
            ids.Add(row.GetString("ModelId"));
        }

        return ids;
    }
}
