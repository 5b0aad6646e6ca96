using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ProductSearch.Cli.Tests.Infrastructure;

/// <summary>A catalogue of its own on the shared Azurite (fresh container and table), and the options that point the CLI at it.</summary>
public sealed class CliCatalog : IAsyncDisposable
{
    public const string Model = "models/resnet18.json";
    public const string ModelId = "resnet18-imagenet-avg";

    private readonly AzuriteFixture _azurite;
    private readonly TableServiceClient _tables;
    private readonly List<string> _extraTables = [];

    public CliCatalog(AzuriteFixture azurite)
        : this(azurite, Guid.NewGuid().ToString("N")[..12] is var unique ? "cli-" + unique : "", "cli" + unique)
    {
    }

    /// <summary>A catalogue in a named container and table: the app's defaults, for commands run as the docs write them.</summary>
    public CliCatalog(AzuriteFixture azurite, string container, string table)
    {
        _azurite = azurite;
        Container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        Container.CreateIfNotExists();
        Table = table;
        _tables = new TableServiceClient(azurite.ConnectionString);
    }

    public BlobContainerClient Container { get; }

    public string Table { get; }

    public TableServiceClient Tables => _tables;

    /// <summary>The command and its options, then this catalogue's connection, container, table and the bundled ResNet18.</summary>
    public string[] Args(params string[] command) =>
    [
        .. command,
        "--connection-string", _azurite.ConnectionString,
        "--container", Container.Name,
        "--table", Table,
        .. command.Contains("--model") ? [] : new[] { "--model", Model },
    ];

    /// <summary>Deleted with the catalogue: tables a test made beside <see cref="Table"/> (a reindex target).</summary>
    public void OwnTable(string name) => _extraTables.Add(name);

    public async Task UploadAsync(string blobName, byte[] bytes, string? productId = null)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" } };
        if (productId is not null)
        {
            options.Metadata = new Dictionary<string, string> { ["productid"] = productId };
        }

        await Container.GetBlobClient(blobName).UploadAsync(new BinaryData(bytes), options);
    }

    /// <summary>The first <paramref name="perCategory"/> photos of each category in the shared manifest, with their product ids.</summary>
    public async Task<IReadOnlyList<string>> UploadSharedPhotosAsync(int perCategory, params string[] categories)
    {
        var manifest = Path.Combine(RepositoryPaths.SharedProducts, "manifest.csv");
        if (!File.Exists(manifest))
        {
            throw new InvalidOperationException($"The shared product photos are missing: no {manifest}.");
        }

        var uploaded = new List<string>();
        foreach (var category in categories)
        {
            var rows = File.ReadLines(manifest).Skip(1)
                .Select(line => line.Split(','))
                .Where(cells => cells[1] == category)
                .OrderBy(cells => cells[0], StringComparer.Ordinal)
                .Take(perCategory);
            foreach (var cells in rows)
            {
                var blobName = $"{category}/{Path.GetFileName(cells[0])}";
                await UploadAsync(blobName, await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.SharedProducts, cells[0])), cells[2]);
                uploaded.Add(blobName);
            }
        }

        return uploaded;
    }

    public async ValueTask DisposeAsync()
    {
        await Container.DeleteIfExistsAsync();
        foreach (var table in _extraTables.Append(Table))
        {
            await _tables.DeleteTableAsync(table);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CliAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "CLI on Azurite";
}
