using ProductSearch.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ProductSearch.BrowserTests;

/// <summary>
/// With the catalogue container private (as in Azure, where shared keys and public access are off), every tile of the
/// storefront still shows its photo: tiles load the app's thumbnails, read with the app's identity.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class PrivateCatalogueThumbnailTests(StorefrontFixture storefront)
{
    // Waits for every image of the selector to load or fail, and returns the sources of those that failed.
    private const string BrokenImages =
        """
        async (selector) => {
          const images = [...document.querySelectorAll(selector)];
          await Promise.all(images.map((i) => i.complete ? null : new Promise((done) => { i.onload = i.onerror = done; })));
          return images.filter((i) => !(i.naturalWidth > 0)).map((i) => i.src);
        }
        """;

    [Fact]
    public async Task EveryCatalogueAndResultTileLoadsItsThumbnailFromAPrivateContainer()
    {
        var access = await storefront.Functions.Container.GetAccessPolicyAsync();
        Assert.Equal(Azure.Storage.Blobs.Models.PublicAccessType.None, access.Value.BlobPublicAccess);
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.MultiShot);
        await Expect(session.Catalogue).ToHaveCountAsync(3);

        var tiles = await session.Page.Locator("#catalogue img").EvaluateAllAsync<string[]>("images => images.map((i) => i.src)");
        Assert.All(tiles, src => Assert.StartsWith(new Uri(storefront.Server.BaseAddress, "api/thumbnails/").ToString(), src));
        Assert.Empty(await session.Page.EvaluateAsync<string[]>(BrokenImages, "#catalogue img"));

        await session.Page.Locator("#catalogue .tile[data-id='wj02-blue_main.jpg']").ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(2);
        Assert.Empty(await session.Page.EvaluateAsync<string[]>(BrokenImages, "#similar-grid img, #query-image"));
        Assert.Empty(session.Errors);
    }
}
