using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductSearch.Functions;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Search;
using ProductSearch.Storage;
using ProductSearch.Tooling.Backfill;

namespace ProductSearch.IntegrationTests.Storage;

/// <summary>
/// <see cref="StorageOperations.Catalogue"/> is what the deployed identity's roles are checked against
/// (ProductSearch.Infra.Tests), so it must be what the code really does: every path that touches the catalogue
/// account runs here against Azurite, and each request is classified by the permission it needs in Azure.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOperationCatalogueTests(AzuriteFixture azurite)
{
    private const string Category = "catalogue-ops";

    [Fact]
    public async Task EveryRequestTheAppSendsIsACatalogueOperationAndEveryCatalogueOperationIsSent()
    {
        await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?>
        {
            // A table no other test has created, so its creation is among the recorded requests.
            ["Storage:FailuresTable"] = "failures" + Guid.NewGuid().ToString("N")[..12],
        });
        var kept = await app.UploadAsync(Category, "kept.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        var replaced = await app.UploadAsync(Category, "replaced.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        var broken = await app.UploadAsync(Category, "broken.jpg", "not an image"u8.ToArray());
        var orphan = await app.UploadAsync(Category, "orphan.jpg", ProductPhotoGenerator.Jpeg(2, 0));

        using (StorageRequestRecorder.Record())
        {
            // Indexing: new vectors, a rejected image, and a re-upload replacing its vector.
            foreach (var blob in new[] { kept, replaced, broken, orphan })
            {
                await app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
            }
        }

        await replaced.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(1, 1)), overwrite: true);
        await orphan.DeleteAsync();

        using (StorageRequestRecorder.Record())
        {
            await app.Function<IndexProductImage>().RunAsync(replaced, Category, CancellationToken.None);

            // Serving: search, listings.
            var search = app.Services.GetRequiredService<SimilarProductSearch>();
            Assert.NotNull((await search.ByImageIdAsync(Category, "kept.jpg", new SimilarityQuery(2), CancellationToken.None)).Products);
            var listing = app.Services.GetRequiredService<CatalogListing>();
            Assert.Contains(Category, (await listing.ListCategoriesAsync(CancellationToken.None)).Names);
            Assert.NotNull(await listing.ListProductsAsync(Category, 0, 10, CancellationToken.None));

            // Maintenance: reconciliation (the orphan's vector, the change log), DELETE, and the repair backfill.
            await app.Function<ReconcileDeletedImages>().RunAsync(new TimerInfo(), CancellationToken.None);
            await app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, "kept.jpg", CancellationToken.None);
            var backfill = ActivatorUtilities.CreateInstance<CatalogBackfill>(app.Services, app.Services.GetRequiredService<ILogger<CatalogBackfill>>());
            await backfill.RunAsync(Category, 1, null, CancellationToken.None);
        }

        Assert.Null(await app.VectorRowAsync(Category, "orphan.jpg"));
        var declared = StorageOperations.Catalogue.Select(operation => operation.Permission).ToHashSet(StringComparer.Ordinal);
        var sent = app.StorageRequests.Permissions;
        Assert.All(sent, pair => Assert.True(declared.Contains(pair.Key), $"The app sent {pair.Value}, which needs {pair.Key}: not in StorageOperations.Catalogue, so no role is checked for it."));
        Assert.All(declared, permission => Assert.True(sent.ContainsKey(permission), $"StorageOperations.Catalogue lists {permission}, but no path sent a request needing it."));
    }
}
