using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Functions;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>Who may call what, and that crafted names cannot reach outside their partition.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "access";

    private FunctionAppHarness _app = null!;

    public static TheoryData<string> CraftedCategories => new()
    {
        "access' or PartitionKey ne '",
        "access\" or \"1\" eq \"1",
        "../access",
        "access/x",
        "~log~",
        new string('a', 129),
        "",
    };

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        await _app.UploadAndIndexAsync(Category, "keep.jpg", ProductPhotoGenerator.Jpeg(1, 1));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    // What a storefront page calls, the documented integration (docs/storefront.md): no key, so no secret in a page.
    private static readonly string[] StorefrontReads =
        [nameof(ListCategories), nameof(ListCategoryProducts), nameof(SimilarByImageId), nameof(SimilarByUpload), nameof(StorefrontPage),
        nameof(ProductThumbnail)];

    // A POST changes something unless it is known not to: the photo search compares a photo and stores nothing.
    private static readonly string[] ReadOnlyPosts = [nameof(SimilarByUpload)];

    private static readonly string[] ReadMethods = ["get", "head", "options"];

    [Fact]
    public void NoFunctionThatCanChangeTheCatalogueAcceptsAFunctionOrHostKey()
    {
        var changing = HttpTriggers()
            .Where(t => t.Methods.Any(m => !ReadMethods.Contains(m) && !(m == "post" && ReadOnlyPosts.Contains(t.Function))))
            .ToList();

        Assert.Contains(changing, t => t.Function == nameof(DeleteProductImage));
        // Anonymous and function-key calls to set or clear a product's attributes are refused by the host.
        Assert.Contains(changing, t => t.Function == nameof(SetProductAttributes) && t.Methods.SequenceEqual(["put"]));
        Assert.Contains(changing, t => t.Function == nameof(ClearProductAttributes) && t.Methods.SequenceEqual(["delete"]));
        // Admin: only the master key (or the platform's own identity) passes; function and host keys do not.
        Assert.All(changing, t => Assert.True(t.AuthLevel == "Admin", $"{t.Function} ({string.Join(", ", t.Methods)}) accepts authLevel {t.AuthLevel}."));
    }

    [Fact]
    public void EveryStorefrontReadNeedsNoKeyAndEveryOtherFunctionNeedsTheMasterKey()
    {
        var triggers = HttpTriggers();

        Assert.All(StorefrontReads, read => Assert.Contains(triggers, t => t.Function == read));
        Assert.All(triggers, t => Assert.True(
            StorefrontReads.Contains(t.Function) ? t.AuthLevel == "Anonymous" : t.AuthLevel == "Admin",
            $"{t.Function} has authLevel {t.AuthLevel}: a storefront read is Anonymous, anything else Admin (decide which it is)."));
    }

    /// <summary>The HTTP triggers as the host reads them: from the functions.metadata the worker SDK generates, not from the attributes.</summary>
    private static List<(string Function, string AuthLevel, string[] Methods)> HttpTriggers()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray().Select(b => (Function: f.GetProperty("name").GetString()!, Binding: b)))
            .Where(x => x.Binding.GetProperty("type").GetString() == "httpTrigger")
            .Select(x => (
                x.Function,
                x.Binding.GetProperty("authLevel").GetString()!,
                x.Binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).ToArray()))
            .ToList();
    }

    [Theory]
    [MemberData(nameof(CraftedCategories))]
    public async Task CraftedCategoryIsBadRequestAndReadsNothing(string category)
    {
        var before = _app.TableRequests.Count;

        var byId = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get(), category, "keep.jpg", CancellationToken.None);
        var byUpload = await _app.Function<SimilarByUpload>().RunAsync(HttpRequests.Post(ProductPhotoGenerator.Jpeg(1, 2)), category, CancellationToken.None);
        var delete = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), category, "keep.jpg", CancellationToken.None);

        Assert.All([byId, byUpload, delete], r => Assert.Equal(400, Assert.IsType<ObjectResult>(r).StatusCode));
        Assert.Equal(before, _app.TableRequests.Count);
        Assert.NotNull(await _app.VectorRowAsync(Category, "keep.jpg"));
    }

    [Theory]
    [InlineData(513, 'a')]
    [InlineData(512, 'é')] // Valid length, but its escaped table key would pass the 1 KiB limit.
    public async Task OverlongImageIdIsBadRequestForDelete(int length, char character)
    {
        var before = _app.TableRequests.Count;

        var result = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, new string(character, length), CancellationToken.None);

        Assert.Equal(400, Assert.IsType<ObjectResult>(result).StatusCode);
        Assert.Equal(before, _app.TableRequests.Count);
    }

    [Fact]
    public async Task ACategoryThatReadsLikeAFilterIsALiteralName()
    {
        // Spaces are legal in category names; as a query parameter the text is only ever a partition key.
        var result = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get(), "access or true", "keep.jpg", CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ObjectResult>(result).StatusCode);
    }

    [Theory]
    [InlineData("keep.jpg' or RowKey ne '")]
    [InlineData("x\" or \"a\" eq \"a")]
    public async Task QuotesInAnImageIdAreALiteralNameNotAFilter(string id)
    {
        // Quotes are legal in blob names, so such an id is valid; being a parameter, it only ever names itself.
        var byId = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get(), Category, Uri.EscapeDataString(id), CancellationToken.None);
        var delete = await _app.Function<DeleteProductImage>().RunAsync(HttpRequests.Get(), Category, Uri.EscapeDataString(id), CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ObjectResult>(byId).StatusCode);
        Assert.Equal(404, Assert.IsType<ObjectResult>(delete).StatusCode);
        Assert.NotNull(await _app.VectorRowAsync(Category, "keep.jpg"));
    }
}
