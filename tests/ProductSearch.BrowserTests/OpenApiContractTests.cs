using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.BrowserTests.Infrastructure;
using ProductSearch.BrowserTests.OpenApi;
using ProductSearch.Decoding;

namespace ProductSearch.BrowserTests;

/// <summary>
/// src/ProductSearch.Functions/openapi.json stays true: real answers of the function classes (over HTTP, over
/// Azurite with indexed photos) have a documented status, a documented media type and a body that fits the
/// schema; every documented response is produced by some request; every HTTP function is documented.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class OpenApiContractTests(StorefrontFixture storefront)
{
    private const string Products = "/categories/{category}/products";
    private const string Product = "/categories/{category}/products/{id}";
    private const string ById = "/categories/{category}/products/{id}/similar";
    private const string ByUpload = "/categories/{category}/similar";
    private const string Storefront = "/storefront/{path}";
    private const string Thumbnail = "/thumbnails/{name}";
    private const string Attributes = "/categories/{category}/products/{productId}/attributes";

    // A category of its own whose products carry attributes, so answers with a product card are checked too.
    private const string Cards = "cards";

    // Stands for the name of a thumbnail the indexer wrote, read from a real listing (names are content hashes).
    private const string IndexedThumbnail = "{indexed-thumbnail}";

    // Answered by the Functions host, never by a function class: no request here can produce them.
    private static readonly HashSet<string> HostOnlyStatuses = ["401"];

    private static readonly OpenApiDescription Description = OpenApiDescription.Load(TestPaths.OpenApiDocument);

    public static TheoryData<string> ExchangeNames => [.. Exchanges().Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(ExchangeNames))]
    public async Task RealAnswerHasADocumentedStatusMediaTypeAndBody(string name)
    {
        var exchange = Exchanges().Single(e => e.Name == name);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = storefront.Server.BaseAddress };
        var url = await ResolveAsync(http, exchange.Url);
        using var held = await PrepareAsync(exchange);
        using var request = new HttpRequestMessage(new HttpMethod(exchange.Method), FunctionAppServer.RoutePrefix + url.TrimStart('/'));
        request.Content = exchange.Body?.Invoke();
        if (exchange.ExpectedStatus == 304)
        {
            request.Headers.IfNoneMatch.Add(await CurrentETagAsync(http, url));
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(exchange.ExpectedStatus, (int)response.StatusCode);
        var documented = Description.Response(exchange.Method, exchange.Operation, (int)response.StatusCode);
        Assert.True(documented is not null, $"{exchange.Method} {exchange.Operation} answered {(int)response.StatusCode}, which the description does not list");
        var body = await response.Content.ReadAsByteArrayAsync();
        if (documented["content"] is not JsonObject content)
        {
            Assert.True(body.Length == 0, $"{(int)response.StatusCode} has no documented body but answered {body.Length} bytes");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is not null && content.ContainsKey(mediaType), $"media type '{mediaType}' is not documented for {(int)response.StatusCode}");
        if (mediaType!.EndsWith("json", StringComparison.Ordinal))
        {
            using var json = JsonDocument.Parse(body);
            var errors = SchemaChecker.Check(Description, content[mediaType]!["schema"]!, json.RootElement);
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Prepend(json.RootElement.GetRawText())));
        }
    }

    [Fact]
    public void EveryDocumentedResponseIsProducedByARequestHere()
    {
        var exercised = Exchanges().Select(e => (e.Method, e.Operation, e.ExpectedStatus.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToHashSet();
        var missing = Description.Operations
            .SelectMany(op => Description.Statuses(op.Method, op.Path).Select(status => (op.Method, op.Path, status)))
            .Where(r => !HostOnlyStatuses.Contains(r.status) && !exercised.Contains(r))
            .Select(r => $"{r.Method} {r.Path} {r.status}");
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryHttpFunctionIsDocumentedWithItsMethodAndRoute()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!.AsArray();
        var triggers = metadata.SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => (string?)b!["type"] == "httpTrigger")
            .SelectMany(b => b!["methods"]!.AsArray().Select(m => (Method: ((string)m!).ToUpperInvariant(), Path: "/" + ((string)b["route"]!).Replace("{*", "{", StringComparison.Ordinal))))
            .ToList();

        Assert.NotEmpty(triggers);
        Assert.Equal(triggers.OrderBy(t => t.Path).ThenBy(t => t.Method), Description.Operations.OrderBy(o => o.Path).ThenBy(o => o.Method));
        // The test server maps the same routes, so the answers checked above are those functions' answers.
        Assert.Equal(
            triggers.Select(t => t.Method + " " + t.Path).Order(),
            FunctionAppServer.Routes.Select(r => r.Method + " /" + r.Route.Replace("{*", "{", StringComparison.Ordinal)).Order());
    }

    private static IEnumerable<ApiExchange> Exchanges()
    {
        var shapes = StorefrontFixture.Shapes;
        yield return new("categories", "GET", "/categories", "/categories", 200);
        yield return new("categories unchanged", "GET", "/categories", "/categories", 304);

        yield return new("products page", "GET", Products, $"/categories/{shapes}/products?skip=2&take=3", 200);
        yield return new("products bad take", "GET", Products, $"/categories/{shapes}/products?take=0", 400);
        yield return new("products bad category", "GET", Products, "/categories/%21bad/products", 400);
        yield return new("products unknown category", "GET", Products, "/categories/nothing-here/products", 200);
        yield return new("products unchanged", "GET", Products, $"/categories/{shapes}/products?skip=2&take=3", 304);

        yield return new("by id", "GET", ById, $"/categories/{shapes}/products/p2%2Fshot-0.jpg/similar?top=3", 200);
        yield return new("by id every image, thresholded", "GET", ById, $"/categories/{shapes}/products/p2%2Fshot-0.jpg/similar?top=5&group=image&minSimilarity=0.5", 200);
        yield return new("by id bad top", "GET", ById, $"/categories/{shapes}/products/p2%2Fshot-0.jpg/similar?top=0", 400);
        yield return new("by id unknown image", "GET", ById, $"/categories/{shapes}/products/nope.jpg/similar", 404);
        yield return new("by id unchanged", "GET", ById, $"/categories/{shapes}/products/p2%2Fshot-0.jpg/similar?top=3", 304);

        yield return new("by upload", "POST", ByUpload, $"/categories/{shapes}/similar?top=2", 200, () => Jpeg(ProductPhotoGenerator.Jpeg(3, 17)));
        yield return new("by upload unusable image", "POST", ByUpload, $"/categories/{shapes}/similar", 400, () => Jpeg("not an image"u8.ToArray()));
        yield return new("by upload unknown category", "POST", ByUpload, "/categories/nothing-here/similar", 404, () => Jpeg(ProductPhotoGenerator.Jpeg(3, 17)));
        yield return new("by upload too large", "POST", ByUpload, $"/categories/{shapes}/similar", 413, () => Jpeg(new byte[(20 * 1024 * 1024) + 1]));
        yield return new("by upload gif", "POST", ByUpload, $"/categories/{shapes}/similar", 415, () => Jpeg(OnePixelGif));
        yield return new("by upload while every decoder is taken", "POST", ByUpload, $"/categories/{shapes}/similar", 503, () => Jpeg(ProductPhotoGenerator.Jpeg(3, 17)));

        yield return new("thumbnail", "GET", Thumbnail, "/thumbnails/" + IndexedThumbnail, 200);
        yield return new("thumbnail unchanged", "GET", Thumbnail, "/thumbnails/" + IndexedThumbnail, 304);
        yield return new("thumbnail unknown", "GET", Thumbnail, "/thumbnails/0123456789abcdef0123456789abcdef-0123456789abcdef.jpg", 404);
        yield return new("thumbnail not a thumbnail name", "GET", Thumbnail, "/thumbnails/..%2Fhost.json", 404);

        yield return new("delete", "DELETE", Product, "/categories/scratch/products/delete-me.jpg", 204);
        yield return new("delete bad category", "DELETE", Product, "/categories/%21bad/products/x.jpg", 400);
        yield return new("delete unknown", "DELETE", Product, $"/categories/{shapes}/products/never-uploaded.jpg", 404);

        yield return new("products page with cards", "GET", Products, $"/categories/{Cards}/products", 200);
        yield return new("by id with cards", "GET", ById, $"/categories/{Cards}/products/card-0.jpg/similar?top=3&group=image", 200);
        yield return new("attributes set", "PUT", Attributes, "/categories/scratch/products/no-photo-yet/attributes", 200, () => Json(
            """{ "title": "Tee \"Aero\"", "url": "https://shop.example/p/1", "price": "29.00", "currency": "EUR", "labels": { "color": "blue" } }"""));
        yield return new("attributes breaking rules", "PUT", Attributes, "/categories/scratch/products/no-photo-yet/attributes", 400, () => Json(
            """{ "title": "", "labels": { "Color": "blue" } }"""));
        yield return new("attributes clear", "DELETE", Attributes, "/categories/scratch/products/no-photo-yet/attributes", 204);
        yield return new("attributes clear bad category", "DELETE", Attributes, "/categories/%21bad/products/x/attributes", 400);

        yield return new("storefront page", "GET", Storefront, "/storefront/", 200);
        yield return new("storefront script", "GET", Storefront, "/storefront/app.js", 200);
        yield return new("storefront unchanged", "GET", Storefront, "/storefront/styles.css", 304);
        yield return new("storefront without slash", "GET", Storefront, "/storefront", 302);
        yield return new("storefront traversal", "GET", Storefront, "/storefront/..%2F..%2Fhost.json", 404);
        yield return new("storefront unknown file", "GET", Storefront, "/storefront/secrets.json", 404);
    }

    // GIF is not an allowed format by default: https://www.w3.org/Graphics/GIF/spec-gif89a.txt, a 1x1 image.
    private static readonly byte[] OnePixelGif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static ByteArrayContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    private static async Task<EntityTagHeaderValue> CurrentETagAsync(HttpClient http, string url)
    {
        using var first = await http.GetAsync(FunctionAppServer.RoutePrefix + url.TrimStart('/'));
        return first.Headers.ETag ?? throw new InvalidOperationException($"{url} sent no ETag.");
    }

    private static async Task<string> ResolveAsync(HttpClient http, string url)
    {
        if (!url.Contains(IndexedThumbnail, StringComparison.Ordinal))
        {
            return url;
        }

        using var page = JsonDocument.Parse(await http.GetStringAsync($"{FunctionAppServer.RoutePrefix}categories/{StorefrontFixture.Shapes}/products?take=1"));
        var thumbnailUrl = page.RootElement.GetProperty("products")[0].GetProperty("thumbnailUrl").GetString()
            ?? throw new InvalidOperationException("The indexed product has no thumbnail.");
        return url.Replace(IndexedThumbnail, thumbnailUrl[(thumbnailUrl.LastIndexOf('/') + 1)..], StringComparison.Ordinal);
    }

    private Lazy<Task> CardsSeeded => _cardsSeeded ??= new Lazy<Task>(() => SeedCardsAsync(storefront.Functions));

    private static Lazy<Task>? _cardsSeeded;

    private static async Task SeedCardsAsync(FunctionAppHarness functions)
    {
        var indexer = functions.Function<Functions.IndexProductImage>();
        for (var i = 0; i < 3; i++)
        {
            var metadata = i == 2 ? new Dictionary<string, string>() : ProductSearch.Products.ProductMetadata.Write(new ProductSearch.Products.ProductAttributes
            {
                Title = $"Card {i} « Ørsted »",
                Url = $"https://shop.example/p/{i}",
                Price = "19.90",
                Currency = "EUR",
                Labels = new Dictionary<string, string> { ["color"] = i == 0 ? "blue" : "red", ["instock"] = "true" },
            });
            metadata["productid"] = $"card-{i}";
            var blob = functions.Container.GetBlobClient($"{Cards}/card-{i}.jpg");
            await blob.UploadAsync(new BinaryData(ProductPhotoGenerator.Jpeg(i, 3)), new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = metadata });
            await indexer.RunAsync(blob, Cards, CancellationToken.None);
        }
    }

    /// <summary>What an exchange needs first; disposing it gives back what it held.</summary>
    private async Task<IDisposable?> PrepareAsync(ApiExchange exchange)
    {
        // A delete needs something to delete: one indexed image in a category no other test reads.
        if (exchange.Method == "DELETE" && exchange.ExpectedStatus == 204)
        {
            await CatalogueSeed.IndexAsync(storefront.Functions, "scratch", [new CatalogueSeed.Photo("delete-me.jpg", null, ProductPhotoGenerator.Jpeg(0, 90))]);
        }

        // Products with attributes from their photos' metadata (one without), indexed once.
        if (exchange.Url.Contains($"/{Cards}/", StringComparison.Ordinal))
        {
            await CardsSeeded.Value;
        }

        // A busy instance: every admission taken (each for the smallest body, so no photo fits beside them).
        if (exchange.ExpectedStatus == 503)
        {
            return await AdmissionHold.TakeAllAsync(storefront.Functions.Services.GetRequiredService<DecodeAdmission>());
        }

        return null;
    }
}
