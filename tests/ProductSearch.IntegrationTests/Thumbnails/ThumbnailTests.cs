using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Features;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Maintenance;
using ProductSearch.Storage;
using ProductSearch.Tooling.Backfill;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.IntegrationTests.Thumbnails;

/// <summary>
/// Thumbnails on Azurite through the real decoder processes: written at indexing from the same decode as the model's
/// input, served by the app with the catalogue container private, backfilled without inference, deleted with their image.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ThumbnailTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "tops";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FunctionAppHarness _app = null!;

    public Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite, time: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task IndexingWritesAJpegThumbnailOfTheConfiguredLongSideInAPrivateContainer()
    {
        await UploadAndIndexAsync("wide.jpg", Photo(0, 1200, 800), "wide");
        await UploadAndIndexAsync("small.jpg", Photo(1, 200, 150), "small");

        var (wide, wideBytes) = await ReadThumbnailAsync("wide.jpg");
        var (_, smallBytes) = await ReadThumbnailAsync("small.jpg");
        var wideInfo = Image.Identify(wideBytes, out var format);
        Assert.Equal(JpegFormat.Instance, format);
        Assert.Equal((320, 213), (wideInfo.Width, wideInfo.Height));
        var smallInfo = Image.Identify(smallBytes);
        Assert.Equal((200, 150), (smallInfo.Width, smallInfo.Height)); // Never enlarged.
        var properties = (await _app.Thumbnails.Container.GetBlobClient(wide).GetPropertiesAsync()).Value;
        Assert.Equal("image/jpeg", properties.ContentType);
        Assert.Equal(PublicAccessType.None, (await _app.Thumbnails.Container.GetAccessPolicyAsync()).Value.BlobPublicAccess);
        Assert.Equal(PublicAccessType.None, (await _app.Container.GetAccessPolicyAsync()).Value.BlobPublicAccess);
    }

    [Fact]
    public async Task TheAppServesThumbnailsAnonymouslyWhileTheCatalogueContainerStaysPrivate()
    {
        await UploadAndIndexAsync("a_alt.jpg", ProductPhotoGenerator.Jpeg(0, 1), "A");
        await UploadAndIndexAsync("a_main.jpg", ProductPhotoGenerator.Jpeg(0, 0), "A");
        await UploadAndIndexAsync("b.jpg", ProductPhotoGenerator.Jpeg(1, 0), "B");
        await using var server = await FunctionAppServer.StartAsync(_app);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var listing = JsonNode.Parse(await http.GetStringAsync($"api/categories/{Category}/products"))!;
        var productA = listing["products"]!.AsArray().Single(p => (string?)p!["productId"] == "A")!;
        var thumbnailUrl = (string)productA["thumbnailUrl"]!;
        var (mainName, mainBytes) = await ReadThumbnailAsync("a_main.jpg");
        Assert.Equal(new Uri(server.BaseAddress, "api/thumbnails/" + mainName), new Uri(thumbnailUrl));

        using var served = await http.GetAsync(thumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(mainBytes, await served.Content.ReadAsByteArrayAsync());
        Assert.True(served.Headers.CacheControl is { Public: true, MaxAge.TotalDays: >= 365 }, $"Cache-Control: {served.Headers.CacheControl}");
        Assert.Contains("immutable", served.Headers.CacheControl!.Extensions.Select(e => e.Name));
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(served.Headers.ETag);

        // The catalogue's own blob URL answers no anonymous reader: only the thumbnail route shows the photo.
        using var blob = await http.GetAsync((string)productA["imageUrl"]!);
        Assert.False(blob.IsSuccessStatusCode, $"The private catalogue blob answered {blob.StatusCode}.");
        foreach (var wrong in new[] { "api/thumbnails/" + new string('0', 32) + "-" + new string('0', 16) + ".jpg", "api/thumbnails/..%2F..%2Fx.jpg", "api/thumbnails/A.JPG" })
        {
            using var missing = await http.GetAsync(wrong);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AProductResultShowsItsMainImageAndAnImageResultShowsItself()
    {
        await UploadAndIndexAsync("a_alt.jpg", ProductPhotoGenerator.Jpeg(0, 1), "A");
        await UploadAndIndexAsync("a_main.jpg", ProductPhotoGenerator.Jpeg(0, 0), "A");
        await UploadAndIndexAsync("b.jpg", ProductPhotoGenerator.Jpeg(1, 0), "B");
        await UploadAndIndexAsync("c.jpg", ProductPhotoGenerator.Jpeg(2, 0), "C");
        await using var server = await FunctionAppServer.StartAsync(_app);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var (mainName, _) = await ReadThumbnailAsync("a_main.jpg");

        var byProduct = JsonNode.Parse(await http.GetStringAsync($"api/categories/{Category}/products/b.jpg/similar?top=4"))!["results"]!.AsArray();
        var byImage = JsonNode.Parse(await http.GetStringAsync($"api/categories/{Category}/products/b.jpg/similar?top=4&group=image"))!["results"]!.AsArray();

        var a = byProduct.Single(r => (string?)r!["productId"] == "A")!;
        Assert.Equal("a_main.jpg", (string?)a["mainImageId"]);
        Assert.EndsWith("/api/thumbnails/" + mainName, (string?)a["thumbnailUrl"]);
        Assert.Equal(3, byImage.Count);
        foreach (var result in byImage)
        {
            var (name, _) = await ReadThumbnailAsync((string)result!["id"]!);
            Assert.Equal((string?)result["id"], (string?)result["mainImageId"]);
            Assert.EndsWith("/api/thumbnails/" + name, (string?)result["thumbnailUrl"]);
        }
    }

    [Fact]
    public async Task BackfillGivesOlderRowsThumbnailsWithoutRunningTheModel()
    {
        for (var product = 0; product < 3; product++)
        {
            await UploadAndIndexAsync($"p{product}.jpg", ProductPhotoGenerator.Jpeg(product, 0), $"P{product}");
        }

        // Rows as the indexer wrote them before thumbnails: same blob versions, vectors and colour, no thumbnail.
        var rows = new List<ProductVector>();
        await foreach (var row in _app.Table.ReadCategoryAsync(Category, CancellationToken.None))
        {
            rows.Add(row);
        }

        foreach (var name in await ThumbnailNamesAsync())
        {
            await _app.Thumbnails.Container.DeleteBlobAsync(name);
        }

        foreach (var row in rows)
        {
            var version = await _app.Table.GetVersionAsync(Category, row.ImageId, CancellationToken.None);
            Assert.True(await _app.Table.TryWriteAsync(row with { Thumbnail = null }, version, CancellationToken.None));
        }

        var extractor = _app.Services.GetRequiredService<FeatureExtractor>();
        var inferences = extractor.InferenceCount;
        var backfill = ActivatorUtilities.CreateInstance<CatalogBackfill>(_app.Services);
        var report = await backfill.RunAsync(Category, 2, null, CancellationToken.None);

        Assert.Equal(rows.Count, report.ThumbnailsFilled);
        Assert.Equal(0, report.Indexed);
        Assert.Equal(0, report.ColourFilled);
        Assert.Equal(inferences, extractor.InferenceCount);
        foreach (var row in rows)
        {
            var filled = (await _app.Table.GetAsync(Category, row.ImageId, CancellationToken.None))!;
            Assert.Equal(row.Vector, filled.Vector);
            Assert.True(ThumbnailStore.IsValidName(filled.Thumbnail), filled.Thumbnail);
            Assert.True((await _app.Thumbnails.Container.GetBlobClient(filled.Thumbnail).ExistsAsync()).Value);
        }

        var again = await backfill.RunAsync(Category, 2, null, CancellationToken.None);
        Assert.Equal(0, again.ThumbnailsFilled);
        Assert.True(again.NothingToIndex);
        Assert.Equal(inferences, extractor.InferenceCount);
    }

    [Fact]
    public async Task AReuploadReplacesTheThumbnailAndADeleteRemovesIt()
    {
        await UploadAndIndexAsync("shirt.jpg", ProductPhotoGenerator.Jpeg(0, 0), "S");
        var (first, _) = await ReadThumbnailAsync("shirt.jpg");

        await UploadAndIndexAsync("shirt.jpg", ProductPhotoGenerator.Jpeg(3, 2), "S");
        var (second, _) = await ReadThumbnailAsync("shirt.jpg");
        Assert.NotEqual(first, second);
        Assert.Equal([second], await ThumbnailNamesAsync());

        var deleted = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, "shirt.jpg", CancellationToken.None);
        Assert.IsType<NoContentResult>(deleted);
        Assert.Empty(await ThumbnailNamesAsync());
    }

    [Fact]
    public async Task ReconcilingABlobDeletedBehindTheAppsBackRemovesItsThumbnail()
    {
        await UploadAndIndexAsync("gone.jpg", ProductPhotoGenerator.Jpeg(0, 0), "G");
        await UploadAndIndexAsync("kept.jpg", ProductPhotoGenerator.Jpeg(1, 0), "K");
        var (kept, _) = await ReadThumbnailAsync("kept.jpg");
        await _app.Container.GetBlobClient($"{Category}/gone.jpg").DeleteAsync();

        await _app.Services.GetRequiredService<CatalogReconciler>().ReconcileCategoryAsync(Category, CancellationToken.None);

        Assert.Equal([kept], await ThumbnailNamesAsync());
    }

    private static byte[] Photo(int product, int width, int height)
    {
        using var image = ProductPhotoGenerator.Render(product, 0);
        image.Mutate(x => x.Resize(width, height));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    private async Task<(string Name, byte[] Bytes)> ReadThumbnailAsync(string imageId)
    {
        var row = await _app.Table.GetAsync(Category, imageId, CancellationToken.None);
        Assert.NotNull(row?.Thumbnail);
        var content = await _app.Thumbnails.Container.GetBlobClient(row.Thumbnail).DownloadContentAsync();
        return (row.Thumbnail, content.Value.Content.ToArray());
    }

    private async Task<List<string>> ThumbnailNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in _app.Thumbnails.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private Task<BlobClient> UploadAndIndexAsync(string name, byte[] jpeg, string productId) => _app.UploadAndIndexAsync(Category, name, jpeg, productId);
}
