using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>Uploads through the blob trigger as the host delivers them, and reads back what the indexer left.</summary>
internal static class HostileCatalog
{
    public static async Task<BlobClient> UploadAsync(this FunctionAppHarness app, string category, string name, byte[] bytes)
    {
        var blob = app.Container.GetBlobClient($"{category}/{name}");
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);
        return blob;
    }

    public static async Task<BlobClient> UploadAndIndexAsync(this FunctionAppHarness app, string category, string name, byte[] bytes)
    {
        var blob = await app.UploadAsync(category, name, bytes);
        await app.Function<IndexProductImage>().RunAsync(blob, category, CancellationToken.None);
        return blob;
    }

    /// <summary>A JPEG product photo with its <c>productid</c> metadata, as a shop uploads several shots of one product.</summary>
    public static async Task<BlobClient> UploadAndIndexAsync(this FunctionAppHarness app, string category, string name, byte[] jpeg, string productId)
    {
        var blob = app.Container.GetBlobClient($"{category}/{name}");
        await blob.UploadAsync(new BinaryData(jpeg), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
            Metadata = new Dictionary<string, string> { ["productid"] = productId },
        });
        await app.Function<IndexProductImage>().RunAsync(blob, category, CancellationToken.None);
        return blob;
    }

    /// <summary>Seeds a category with a few ordinary shots of each product, indexed.</summary>
    public static async Task<List<string>> SeedAsync(this FunctionAppHarness app, string category, int shotsPerProduct = 2)
    {
        var names = new List<string>();
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            for (var shot = 0; shot < shotsPerProduct; shot++)
            {
                var name = $"seed/p{product}-{shot}.jpg";
                await app.UploadAndIndexAsync(category, name, ProductPhotoGenerator.Jpeg(product, shot));
                names.Add(name);
            }
        }

        return names;
    }

    public static async Task<TableEntity?> VectorRowAsync(this FunctionAppHarness app, string category, string imageId)
    {
        var response = await app.Table.Client.GetEntityIfExistsAsync<TableEntity>(TableKeyCodec.Encode(category), TableKeyCodec.Encode(imageId));
        return response.HasValue ? response.Value : null;
    }

    public static async Task<List<TableEntity>> ImageRowsAsync(this FunctionAppHarness app, string category)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey lt {"~"}");
        return await app.Table.Client.QueryAsync<TableEntity>(filter).ToListAsync();
    }

    public static async Task<List<TableEntity>> ChangeLogRowsAsync(this FunctionAppHarness app, string category)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey ge {ChangeLog.RowKeyPrefix}");
        return await app.Table.Client.QueryAsync<TableEntity>(filter).ToListAsync();
    }

    public static async Task<ETag> ETagOfAsync(this BlobClient blob) => (await blob.GetPropertiesAsync()).Value.ETag;

    public static IndexingFailureTable Failures(this FunctionAppHarness app) =>
        (IndexingFailureTable)app.Services.GetService(typeof(IndexingFailureTable))!;
}
