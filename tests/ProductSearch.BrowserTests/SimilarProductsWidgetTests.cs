using System.Text.Json.Nodes;
using Microsoft.Playwright;
using ProductSearch.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ProductSearch.BrowserTests;

/// <summary>
/// The &lt;similar-products&gt; widget as a shop uses it: one script tag on a plain page served from another origin
/// (a second Kestrel on its own port), its answers through real cross-origin requests from Chromium. The Functions
/// host, not the app, does CORS (Host.CORS locally, the app's CORS list in Azure), so the app server here stands in
/// for it with ASP.NET Core's CORS middleware and the same one-origin allow-list.
/// </summary>
[Collection(StorefrontCollection.Name)]
public sealed class SimilarProductsWidgetTests(StorefrontFixture storefront, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Lonely = "widget-lonely";

    private ShopSite _shop = null!;
    private ShopSite _unlistedShop = null!;
    private FunctionAppServer _app = null!;

    public async Task InitializeAsync()
    {
        _shop = await ShopSite.StartAsync();
        _unlistedShop = await ShopSite.StartAsync();
        _app = await FunctionAppServer.StartAsync(storefront.Functions, allowedOrigins: [_shop.Origin]);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _unlistedShop.DisposeAsync();
        await _shop.DisposeAsync();
    }

    [Fact]
    public async Task OnAShopPageOfAnotherOriginTheWidgetShowsTheApisAnswerInOrderThroughACorsRequest()
    {
        var expected = await SimilarProductIdsAsync(StorefrontFixture.Shapes, "p2/shot-0.jpg", top: 4);
        var page = _shop.Serve("/products/product-2", ShopPage("product-2", """
            <similar-products category="shapes" product="p2/shot-0.jpg" top="4" href="/products/{productId}"></similar-products>
            """));
        await using var context = await storefront.Browser.NewContextAsync(Viewports.Desktop);
        var tab = new ShopTab(await context.NewPageAsync());
        var api = tab.Page.WaitForResponseAsync(r => r.Url.Contains("/similar?", StringComparison.Ordinal));
        await tab.Page.GotoAsync(page.ToString());
        var answer = await api;

        // A real cross-origin request: the browser sent the shop's origin and read the answer because the
        // allow-list let it; nothing secret went with it.
        Assert.NotEqual(_shop.Origin, _app.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(_shop.Origin, await answer.Request.HeaderValueAsync("origin"));
        Assert.Equal(_shop.Origin, await answer.HeaderValueAsync("access-control-allow-origin"));
        Assert.Null(await answer.Request.HeaderValueAsync("x-functions-key"));
        Assert.DoesNotContain("code=", answer.Url, StringComparison.Ordinal);

        var widget = tab.Page.Locator("similar-products");
        await Expect(widget).ToHaveAttributeAsync("state", "results");
        var tiles = widget.Locator("li a");
        await Expect(tiles).ToHaveCountAsync(4);
        Assert.Equal(expected, await tiles.Locator("img").EvaluateAllAsync<string[]>("images => images.map(i => i.alt)"));
        await Expect(tiles.Locator(".name")).ToHaveTextAsync([.. expected]);
        for (var i = 0; i < expected.Count; i++)
        {
            await Expect(tiles.Nth(i)).ToHaveAccessibleNameAsync(expected[i]); // each link named once, by its image's alt
        }

        Assert.Equal(
            expected.Select(id => new Uri(_shop.BaseAddress, "/products/" + Uri.EscapeDataString(id)).ToString()),
            await tiles.EvaluateAllAsync<string[]>("links => links.map(a => a.href)"));
        Assert.All(await tiles.Locator("img").EvaluateAllAsync<string[]>("images => images.map(i => i.loading)"), l => Assert.Equal("lazy", l));
        await Expect(widget.Locator("h2")).ToHaveTextAsync("You may also like");
        Assert.Equal(4, await LoadedImagesAsync(tab.Page));
        Assert.True(tab.Errors.Count == 0, string.Join(Environment.NewLine, tab.Errors));
    }

    [Fact]
    public async Task AShopPageWhoseOriginIsNotAllowedGetsTheWidgetsErrorState()
    {
        var page = _unlistedShop.Serve("/products/product-2", ShopPage("product-2", """
            <similar-products category="shapes" product="p2/shot-0.jpg"></similar-products>
            """));
        await using var context = await storefront.Browser.NewContextAsync(Viewports.Desktop);
        var tab = new ShopTab(await context.NewPageAsync());
        var failed = new TaskCompletionSource<IRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        tab.Page.RequestFailed += (_, r) =>
        {
            if (r.Url.Contains("/similar?", StringComparison.Ordinal))
            {
                failed.TrySetResult(r);
            }
        };
        await tab.Page.GotoAsync(page.ToString());

        // The script loaded and asked; the answer came without the header that lets this origin read it, so the
        // browser kept it from the page.
        var request = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("fetch", request.ResourceType);
        Assert.NotNull(request.Failure);
        var widget = tab.Page.Locator("similar-products");
        await Expect(widget).ToHaveAttributeAsync("state", "error");
        await Expect(widget.Locator("[role=status]")).ToHaveTextAsync("Similar products could not be loaded right now.");
        await Expect(widget.Locator("[role=status]")).ToBeVisibleAsync();
        await Expect(widget.Locator("li")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AProductWithNoOtherProductBesideItAndOneNotIndexedShowTheEmptyState()
    {
        await CatalogueSeed.IndexAsync(storefront.Functions, Lonely, [new CatalogueSeed.Photo("only-one.jpg", "only-one", ProductPhotoGenerator.Jpeg(4, 40))]);
        var page = _shop.Serve("/products/only-one", ShopPage("only-one", $"""
            <similar-products id="lonely" category="{Lonely}" product="only-one.jpg"></similar-products>
            <similar-products id="unknown" category="shapes" product="not-uploaded-yet.jpg"></similar-products>
            """));
        await using var context = await storefront.Browser.NewContextAsync(Viewports.Desktop);
        var tab = await OpenAsync(context, page);

        foreach (var widget in new[] { tab.Page.Locator("#lonely"), tab.Page.Locator("#unknown") })
        {
            await Expect(widget).ToHaveAttributeAsync("state", "empty");
            await Expect(widget.Locator("[role=status]")).ToHaveTextAsync("No similar products yet.");
            await Expect(widget.Locator("li")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task ThePhotoDropVariantShowsTheProductsThatLookLikeTheShoppersPhoto()
    {
        var photo = ProductPhotoGenerator.Jpeg(5, shot: 17); // a shot never uploaded: product 5's own shots explain it
        var expected = await SimilarProductIdsByPhotoAsync(StorefrontFixture.Shapes, photo, top: 4);
        var page = _shop.Serve("/find-by-photo", ShopPage("Find it by photo", """
            <similar-products category="shapes" photo-drop top="4"></similar-products>
            """));
        await using var context = await storefront.Browser.NewContextAsync(Viewports.Desktop);
        var tab = new ShopTab(await context.NewPageAsync());
        await tab.Page.GotoAsync(page.ToString());
        var widget = tab.Page.Locator("similar-products");
        await Expect(widget).ToHaveAttributeAsync("state", "ready");

        // The photo goes with its own content type, so the browser asks first (a preflight) and then posts it.
        var api = tab.Page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.Contains("/similar?", StringComparison.Ordinal));
        await widget.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "my-photo.jpg", MimeType = "image/jpeg", Buffer = photo });
        var answer = await api;

        Assert.Equal(_shop.Origin, await answer.HeaderValueAsync("access-control-allow-origin"));
        await Expect(widget).ToHaveAttributeAsync("state", "results");
        var tiles = widget.Locator("li a");
        await Expect(tiles).ToHaveCountAsync(4);
        Assert.Equal("product-5", expected[0]);
        Assert.Equal(expected, await tiles.Locator("img").EvaluateAllAsync<string[]>("images => images.map(i => i.alt)"));

        // A file that is not an image never leaves the browser.
        await widget.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "a list"u8.ToArray() });
        await Expect(widget).ToHaveAttributeAsync("state", "error");
        await Expect(widget.Locator("[role=status]")).ToHaveTextAsync("notes.txt is not a photo: choose a JPEG, PNG or WebP image.");
        await Expect(widget.Locator("input[type=file]")).ToHaveCountAsync(1); // and the shopper can try another
        Assert.True(tab.Errors.Count == 0, string.Join(Environment.NewLine, tab.Errors));
    }

    [Fact]
    public async Task ScreenshotsOfTheWidgetOnAShopPageOnADesktopAndOnAPhone()
    {
        var product = await ShowcaseProductAsync();
        var page = _shop.Serve("/products/showcase", ShopPage(product.ProductId, $$"""
            <similar-products category="{{storefront.ShowcaseCategory}}" product="{{product.Id}}" top="4" href="/products/{productId}"></similar-products>
            """, product.PhotoUrl));

        await using (var desktop = await storefront.Browser.NewContextAsync(Viewports.Desktop))
        {
            var tab = await OpenAsync(desktop, page);
            await Expect(tab.Page.Locator("similar-products")).ToHaveAttributeAsync("state", "results");
            Assert.Equal(4, await LoadedImagesAsync(tab.Page));
            await Screenshots.SaveAsync(tab.Page, "widget-foreign-origin", output);
            Assert.True(tab.Errors.Count == 0, string.Join(Environment.NewLine, tab.Errors));
        }

        await using var phone = await storefront.Browser.NewContextAsync(Viewports.Phone);
        var phoneTab = await OpenAsync(phone, page);
        var widget = phoneTab.Page.Locator("similar-products");
        await Expect(widget).ToHaveAttributeAsync("state", "results");
        await widget.ScrollIntoViewIfNeededAsync();
        Assert.Equal(4, await LoadedImagesAsync(phoneTab.Page));
        await Screenshots.SaveAsync(phoneTab.Page, "widget-phone", output);

        var scrollWidth = await phoneTab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the shop page is {scrollWidth} px wide on a 390 px screen");
        var columns = await widget.Locator("ul").EvaluateAsync<int>("list => getComputedStyle(list).gridTemplateColumns.split(' ').length");
        Assert.Equal(2, columns);
        Assert.True(phoneTab.Errors.Count == 0, string.Join(Environment.NewLine, phoneTab.Errors));
    }

    [Fact]
    public async Task ProductCardsShowTitleAndPriceAndLinkToTheProductPageUnlessTheShopGivesAnHrefTemplate()
    {
        var bare = CardCatalogue.ById(CardCatalogue.Bare);
        var expected = (await SimilarProductIdsAsync(CardCatalogue.Category, bare.ImageId, top: 4)).Select(CardCatalogue.ById).ToList();
        Assert.Contains(expected, p => p.PriceInEnglish is not null);
        var page = _shop.Serve("/products/card-4", ShopPage(bare.ProductId, $$"""
            <similar-products id="own" category="{{CardCatalogue.Category}}" product="{{bare.ImageId}}" top="4"></similar-products>
            <similar-products id="template" category="{{CardCatalogue.Category}}" product="{{bare.ImageId}}" top="4" href="/products/{productId}"></similar-products>
            """));
        await using var context = await storefront.Browser.NewContextAsync(Viewports.Desktop);
        var tab = await OpenAsync(context, page);

        // Without href, each tile is a card that opens the product page the catalogue gives.
        var own = tab.Page.Locator("#own");
        await Expect(own).ToHaveAttributeAsync("state", "results");
        var tiles = own.Locator("li a");
        await Expect(tiles).ToHaveCountAsync(expected.Count);
        await Expect(tiles.Locator(".name")).ToHaveTextAsync([.. expected.Select(p => p.Name)]);
        Assert.Equal(expected.Select(p => p.PriceInEnglish), await tiles.EvaluateAllAsync<string?[]>("links => links.map(a => a.querySelector('.price')?.textContent ?? null)"));
        Assert.Equal(expected.Select(p => p.Attributes!.Url), await tiles.EvaluateAllAsync<string[]>("links => links.map(a => a.href)"));
        for (var i = 0; i < expected.Count; i++)
        {
            // Named by the image's alt (the title) and the price: what a screen reader says is what the card shows.
            await Expect(tiles.Nth(i)).ToHaveAccessibleNameAsync(string.Join(' ', new[] { expected[i].Name, expected[i].PriceInEnglish }.OfType<string>()));
        }

        // With href, the shop's own pages win over the catalogue's; the card still shows title and price.
        var template = tab.Page.Locator("#template");
        await Expect(template).ToHaveAttributeAsync("state", "results");
        var shopTiles = template.Locator("li a");
        await Expect(shopTiles.Locator(".name")).ToHaveTextAsync([.. expected.Select(p => p.Name)]);
        Assert.Equal(
            expected.Select(p => new Uri(_shop.BaseAddress, "/products/" + Uri.EscapeDataString(p.ProductId)).ToString()),
            await shopTiles.EvaluateAllAsync<string[]>("links => links.map(a => a.href)"));
        await Screenshots.SaveAsync(tab.Page, "widget-cards", output);
        Assert.True(tab.Errors.Count == 0, string.Join(Environment.NewLine, tab.Errors));
    }

    private Uri WidgetScript => new(_app.BaseAddress, FunctionAppServer.RoutePrefix + "storefront/similar-products.js");

    // A shop's product page as a shop writes it: its own markup and styles, and the one tag that brings the widget.
    private string ShopPage(string productName, string widgets, string? photoUrl = null) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <link rel="icon" href="data:,">
          <title>{{productName}} · Corner Shop</title>
          <script type="module" src="{{WidgetScript}}"></script>
          <style>
            body { margin: 0; font-family: Georgia, serif; color: #222; }
            header { padding: 1rem 1.5rem; background: #1e293b; color: #fff; font-size: 1.3rem; }
            main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
            .product { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; margin-bottom: 2rem; }
            .product img { width: min(16rem, 100%); aspect-ratio: 4 / 5; object-fit: contain; background: #fff; border: 1px solid #ddd; }
          </style>
        </head>
        <body>
          <header>Corner Shop</header>
          <main>
            <section class="product">
              {{(photoUrl is null ? "" : $"<img src=\"{photoUrl}\" alt=\"{productName}\">")}}
              <div><h1>{{productName}}</h1><p>Soft cotton, true to size.</p><button type="button">Add to basket</button></div>
            </section>
            {{widgets}}
          </main>
        </body>
        </html>
        """;

    private static async Task<ShopTab> OpenAsync(IBrowserContext context, Uri page)
    {
        var tab = new ShopTab(await context.NewPageAsync());
        await tab.Page.GotoAsync(page.ToString());
        return tab;
    }

    private async Task<List<string>> SimilarProductIdsAsync(string category, string id, int top)
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        var answer = JsonNode.Parse(await http.GetStringAsync(
            $"{FunctionAppServer.RoutePrefix}categories/{category}/products/{Uri.EscapeDataString(id)}/similar?top={top}"))!;
        return [.. answer["results"]!.AsArray().Select(r => (string)r!["productId"]!)];
    }

    private async Task<List<string>> SimilarProductIdsByPhotoAsync(string category, byte[] photo, int top)
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        using var content = new ByteArrayContent(photo);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        using var response = await http.PostAsync($"{FunctionAppServer.RoutePrefix}categories/{category}/similar?top={top}", content);
        var answer = JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
        return [.. answer["results"]!.AsArray().Select(r => (string)r!["productId"]!)];
    }

    private async Task<(string Id, string ProductId, string PhotoUrl)> ShowcaseProductAsync()
    {
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        var listing = JsonNode.Parse(await http.GetStringAsync($"{FunctionAppServer.RoutePrefix}categories/{storefront.ShowcaseCategory}/products?take=3"))!;
        var product = listing["products"]!.AsArray()[^1]!;
        return ((string)product["id"]!, (string)product["productId"]!, (string?)product["thumbnailUrl"] ?? (string)product["imageUrl"]!);
    }

    // Lazy images load once in view: wait for each to load or fail, and count those that drew.
    private static Task<int> LoadedImagesAsync(IPage page) => page.EvaluateAsync<int>(
        """
        async () => {
          const images = [...document.querySelector('similar-products').shadowRoot.querySelectorAll('img')];
          await Promise.all(images.map((i) => i.complete ? null : new Promise((done) => { i.onload = i.onerror = done; })));
          return images.filter((i) => i.naturalWidth > 0).length;
        }
        """);

    /// <summary>A tab on a shop page, with the page's console errors.</summary>
    private sealed class ShopTab
    {
        public ShopTab(IPage page)
        {
            Page = page;
            Errors = PageErrors.Watch(page);
        }

        public IPage Page { get; }

        public List<string> Errors { get; }
    }
}
