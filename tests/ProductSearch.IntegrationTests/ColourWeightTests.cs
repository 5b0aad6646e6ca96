using System.Numerics.Tensors;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;
using ProductSearch.Tooling.Backfill;

namespace ProductSearch.IntegrationTests;

/// <summary>The colour weight through the HTTP function classes, and the upgrade of a catalogue indexed before colour, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ColourWeightTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "tops";
    private const string Twin = "twin/shot-0.jpg";
    // The app's clock: a test passes the staleness bound by moving it, not by waiting for it.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        for (var product = 0; product < ProductPhotoGenerator.ProductCount; product++)
        {
            for (var shot = 0; shot < 2; shot++)
            {
                await UploadAndIndexAsync($"p{product}/shot-{shot}.jpg", ProductPhotoGenerator.Jpeg(product, shot), $"product-{product}");
            }
        }

        // Product 1's silhouette in product 0's colour: same colour as the query, another shape.
        await UploadAndIndexAsync(Twin, ProductPhotoGenerator.Jpeg(1, 5, ProductPhotoGenerator.ColourOf(0)), "twin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task WeightZeroReturnsExactlyTheCnnOrder()
    {
        var response = await ByIdAsync("p0/shot-0.jpg", "?top=16&group=image&colour=0");

        var rows = await ReadRowsAsync();
        var query = rows["p0/shot-0.jpg"].Vector;
        var expected = rows.Where(r => r.Key != "p0/shot-0.jpg")
            .Select(r => (Id: r.Key, Distance: TensorPrimitives.Distance(query, r.Value.Vector)))
            .OrderBy(r => r.Distance).ToList();
        Assert.Equal(0f, response.Colour);
        Assert.Equal(expected.Select(r => r.Id), response.Results.Select(r => r.Id));
        Assert.Equal(expected.Select(r => r.Distance), response.Results.Select(r => r.Distance));
    }

    [Fact]
    public async Task AHigherWeightMovesTheSameColouredProductUp()
    {
        var shapeOnly = await ByIdAsync("p0/shot-0.jpg", "?top=8&colour=0");
        var colourful = await ByIdAsync("p0/shot-0.jpg", "?top=8&colour=2");

        var before = shapeOnly.Results.Select(r => r.ProductId).ToList().IndexOf("twin");
        var after = colourful.Results.Select(r => r.ProductId).ToList().IndexOf("twin");
        Assert.Equal(2f, colourful.Colour);
        Assert.True(before != 0, $"The CNN alone already ranked the same-coloured twin first: {string.Join(", ", shapeOnly.Results.Select(r => r.ProductId))}");
        Assert.Equal(0, after);
        Assert.All(colourful.Results, r => Assert.InRange(r.Distance, 0f, 2f));
    }

    [Fact]
    public async Task TheDefaultWeightIsTheConfiguredOneAndABadWeightIsRefused()
    {
        var response = await ByIdAsync("p0/shot-0.jpg", "?top=4");
        var refused = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?colour=9"), Category, "p0%2Fshot-0.jpg", CancellationToken.None);
        var notANumber = await _app.Function<SimilarByUpload>().RunAsync(HttpRequests.Post([1, 2, 3], "?colour=red"), Category, CancellationToken.None);

        Assert.Equal(0.35f, response.Colour);
        Assert.Equal(400, Assert.IsType<ObjectResult>(refused).StatusCode);
        Assert.Equal(400, Assert.IsType<ObjectResult>(notANumber).StatusCode);
    }

    [Fact]
    public async Task AnUpgradedCatalogueAnswersShapeOnlyUntilBackfillFillsColourWithoutInference()
    {
        // Rows as the indexer wrote them before colour existed: same blob versions and CNN vectors, no colour.
        var rows = await ReadRowsAsync();
        foreach (var (id, row) in rows)
        {
            var version = await _app.Table.GetVersionAsync(Category, id, CancellationToken.None);
            Assert.True(await _app.Table.TryWriteAsync(row with { ColourId = null, Colour = null }, version, CancellationToken.None));
        }

        _time.Advance(FunctionAppHarness.Staleness);
        Assert.Equal(0f, (await ByIdAsync("p0/shot-0.jpg", "?top=4&colour=1")).Colour);
        var mixed = await ByIdAsync("p0/shot-0.jpg", "?top=6&colour=1");
        var shapeOnly = await ByIdAsync("p0/shot-0.jpg", "?top=6&colour=0");
        Assert.Equal(shapeOnly.Results.Select(r => (r.Id, r.Distance)), mixed.Results.Select(r => (r.Id, r.Distance)));

        var extractor = _app.Services.GetRequiredService<FeatureExtractor>();
        var inferences = extractor.InferenceCount;
        var report = await _app.Function<CatalogBackfill>().RunAsync(Category, 2, null, CancellationToken.None);

        Assert.Equal(rows.Count, report.ColourFilled);
        Assert.Equal(0, report.Indexed);
        Assert.Equal(inferences, extractor.InferenceCount);
        var filled = await ReadRowsAsync();
        var colour = _app.Services.GetRequiredService<ModelDescriptor>().Colour!;
        Assert.All(filled, r =>
        {
            Assert.Equal(rows[r.Key].Vector, r.Value.Vector);
            Assert.Equal(rows[r.Key].Colour, r.Value.ColourOf(colour.Id));
        });

        // The cache picks the colour up from the change log; then the weight applies again.
        _time.Advance(FunctionAppHarness.Staleness);
        Assert.Equal(1f, (await ByIdAsync("p0/shot-0.jpg", "?top=4&colour=1")).Colour);

        // Resumable: a second pass finds nothing to fill.
        var again = await _app.Function<CatalogBackfill>().RunAsync(Category, 2, null, CancellationToken.None);
        Assert.Equal(0, again.ColourFilled);
        Assert.Equal(rows.Count, again.AlreadyCurrent);
        Assert.True(again.NothingToIndex);
    }

    private async Task<SimilarProductsResponse> ByIdAsync(string id, string query)
    {
        var result = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get(query), Category, Uri.EscapeDataString(id), CancellationToken.None);
        return Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
    }

    private async Task<Dictionary<string, ProductVector>> ReadRowsAsync()
    {
        var rows = new Dictionary<string, ProductVector>();
        await foreach (var row in _app.Table.ReadCategoryAsync(Category, CancellationToken.None))
        {
            rows[row.ImageId] = row;
        }

        return rows;
    }

    private Task<BlobClient> UploadAndIndexAsync(string name, byte[] jpeg, string productId) => _app.UploadAndIndexAsync(Category, name, jpeg, productId);
}
