using Microsoft.Playwright;
using ProductSearch.BrowserTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ProductSearch.BrowserTests;

/// <summary>The storefront page in headless Chromium, against the function classes over Azurite with indexed photos.</summary>
[Collection(StorefrontCollection.Name)]
public sealed class StorefrontPageTests(StorefrontFixture storefront, ITestOutputHelper output)
{
    private const int GeneratedProducts = 8;
    private const int GeneratedImages = GeneratedProducts * StorefrontFixture.ShotsPerProduct;

    [Fact]
    public async Task GridShowsEveryProductOfTheCategoryOnceWithItsPhoto()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);

        await Expect(session.Catalogue).ToHaveCountAsync(GeneratedProducts);
        await Expect(session.Page.Locator("#count")).ToHaveTextAsync($"{GeneratedProducts} products · {GeneratedImages} photos");
        await Expect(session.Catalogue.Locator(".photos")).ToHaveTextAsync(Enumerable.Repeat($"{StorefrontFixture.ShotsPerProduct} photos", GeneratedProducts).ToArray());
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        // Thumbnails load lazily: bring the last one into view, then wait for every one to load or fail.
        await session.Catalogue.Last.ScrollIntoViewIfNeededAsync();
        var loaded = await session.Page.EvaluateAsync<int>(
            """
            async () => {
              const images = [...document.querySelectorAll('#catalogue img')];
              await Promise.all(images.map((i) => i.complete ? null : new Promise((done) => { i.onload = i.onerror = done; })));
              return images.filter((i) => i.naturalWidth > 0).length;
            }
            """);
        Assert.Equal(GeneratedProducts, loaded);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task ClickingAProductShowsTheNMostSimilarOtherProductsNearestFirstWithTheirDistances()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);

        await session.Page.Locator("#catalogue .tile[data-id='p2/shot-0.jpg']").ClickAsync();

        await Expect(session.Similar).ToHaveCountAsync(4);
        var results = await session.SimilarResultsAsync();
        Assert.Equal(results.OrderBy(r => r.Distance).Select(r => r.Distance), results.Select(r => r.Distance));
        Assert.All(results, r => Assert.InRange(r.Distance, 0, 2));
        // "More like this" means other products, one image each (the API's default grouping).
        Assert.Equal(4, results.Select(r => r.ProductId).Distinct().Count());
        Assert.DoesNotContain(results, r => r.ProductId == "product-2");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task EveryPhotoShowsTheProductsOtherShotsFirstButNeverTheClickedImage()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);
        await session.Page.Locator("#catalogue .tile[data-id='p2/shot-0.jpg']").ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);

        await session.Page.CheckAsync("#every-photo");
        await session.Page.SelectOptionAsync("#top", "8");

        await Expect(session.Similar).ToHaveCountAsync(8);
        var results = await session.SimilarResultsAsync();
        Assert.All(results.Take(StorefrontFixture.ShotsPerProduct - 1), r => Assert.Equal("product-2", r.ProductId));
        await Expect(session.Page.Locator("#similar-grid .tile[data-id='p2/shot-0.jpg']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task MovingTheShapeColourSliderReQueriesWithThatWeight()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);
        await session.Page.Locator("#catalogue .tile[data-id='p2/shot-0.jpg']").ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);

        // Until it is moved, the slider shows the weight the server applied by default.
        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("colour 0.35");
        await Expect(session.Page.Locator("#colour")).ToHaveValueAsync("0.35");

        var requery = session.Page.WaitForRequestAsync(r => r.Url.Contains("colour=1", StringComparison.Ordinal));
        await session.Page.Locator("#colour").FillAsync("1");
        await requery;

        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("colour 1");
        await Expect(session.Similar).ToHaveCountAsync(4);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task DroppingAPhotoShowsTheProductsThatLookLikeIt()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);
        // A shot never uploaded: only product 5's own shots explain it.
        var photo = Convert.ToBase64String(ProductPhotoGenerator.Jpeg(5, shot: 17));

        var dataTransfer = await session.Page.EvaluateHandleAsync(
            """
            ([base64, name]) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], name, { type: 'image/jpeg' }));
              return transfer;
            }
            """,
            new[] { photo, "new-shot.jpg" });
        await session.Page.DispatchEventAsync("#drop", "dragover", new { dataTransfer });
        await Expect(session.Page.Locator("#drop")).ToHaveClassAsync(Over());
        await session.Page.DispatchEventAsync("#drop", "drop", new { dataTransfer });

        await Expect(session.Similar).ToHaveCountAsync(4);
        var results = await session.SimilarResultsAsync();
        Assert.Equal("product-5", results[0].ProductId);
        Assert.Equal(4, results.Select(r => r.ProductId).Distinct().Count());
        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("new-shot.jpg");
        Assert.StartsWith("blob:", await session.Page.Locator("#query-image").GetAttributeAsync("src"), StringComparison.Ordinal);
        await Expect(session.Page.Locator("#drop")).Not.ToHaveClassAsync(Over());
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task ChoosingAPhotoWithTheFilePickerShowsTheProductsThatLookLikeIt()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);

        await session.Page.SetInputFilesAsync("#photo", new FilePayload
        {
            Name = "from-disk.jpg",
            MimeType = "image/jpeg",
            Buffer = ProductPhotoGenerator.Jpeg(1, shot: 17),
        });

        await Expect(session.Similar).ToHaveCountAsync(4);
        Assert.Equal("product-1", (await session.SimilarResultsAsync())[0].ProductId);
    }

    [Fact]
    public async Task AnUnusablePhotoShowsTheApiProblemAsAnError()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);

        await session.Page.SetInputFilesAsync("#photo", new FilePayload { Name = "notes.jpg", MimeType = "image/jpeg", Buffer = "not an image"u8.ToArray() });

        await Expect(session.Page.Locator("#status.error")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#similar")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task TheKeyTypedIntoTheKeyFieldIsSentAsTheFunctionsKeyHeaderAndNeverInTheUrl()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Shapes);
        var apiRequests = new List<IRequest>();
        session.Page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/categories", StringComparison.Ordinal))
            {
                apiRequests.Add(r);
            }
        };

        await session.Page.Locator("#key-panel summary").ClickAsync();
        await session.Page.FillAsync("#key", "secret-key-123");
        await session.Page.Locator("#key").PressAsync("Enter");
        await session.Page.Locator("#key").BlurAsync();
        await Expect(session.Catalogue).ToHaveCountAsync(GeneratedProducts);
        await session.Catalogue.First.ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);

        Assert.NotEmpty(apiRequests);
        foreach (var request in apiRequests)
        {
            Assert.Equal("secret-key-123", await request.HeaderValueAsync("x-functions-key"));
            Assert.DoesNotContain("secret-key-123", request.Url, StringComparison.Ordinal);
        }

        Assert.Equal("secret-key-123", await session.Page.EvaluateAsync<string>("() => localStorage.getItem('productSearch.functionKey')"));
    }

    [Fact]
    public async Task OnAPhoneTheGridHasSeveralColumnsAndNothingScrollsSideways()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Phone, storefront.ShowcaseCategory);
        await Screenshots.SaveAsync(session.Page, "phone-grid", output);

        var scrollWidth = await session.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} px wide on a 390 px screen");
        var columns = await session.Page.EvaluateAsync<int>(
            "() => getComputedStyle(document.getElementById('catalogue')).gridTemplateColumns.split(' ').length");
        Assert.InRange(columns, 2, 4);

        await session.Catalogue.Nth(1).TapAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);
        await Screenshots.SaveAsync(session.Page, "phone-similar", output);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task OnADesktopTheGridAndTheSimilarProductsShowTogether()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, storefront.ShowcaseCategory);
        await Screenshots.SaveAsync(session.Page, "desktop-grid", output);

        await session.Catalogue.Nth(2).ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);
        await Screenshots.SaveAsync(session.Page, "desktop-similar", output);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task MultiShotProductsShowAsOneTileWithTheirMainImageAndPhotoCount()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.MultiShot);

        await Expect(session.Catalogue).ToHaveCountAsync(3);
        await Expect(session.Page.Locator("#count")).ToHaveTextAsync("3 products · 6 photos");
        await Expect(session.Catalogue.Locator(".name")).ToHaveTextAsync(["WJ01-red", "WJ02-blue", "WJ03-green"]);
        // The _main shot stands for its product; with none, the first by name does. A lone shot shows no count.
        Assert.Equal(["wj01-red_main.jpg", "wj02-blue_main.jpg", "wj03-green-1.jpg"], await session.Catalogue.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.id)"));
        await Expect(session.Catalogue.Nth(0).Locator(".photos")).ToHaveTextAsync("3 photos");
        await Expect(session.Catalogue.Nth(1).Locator(".photos")).ToHaveCountAsync(0);
        await Expect(session.Catalogue.Nth(2).Locator(".photos")).ToHaveTextAsync("2 photos");
        Assert.EndsWith("/multishot/wj01-red_main.jpg", await session.Catalogue.Nth(0).Locator("img").GetAttributeAsync("src"), StringComparison.Ordinal);

        await session.Catalogue.Nth(0).ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(2); // the other two products, one tile each
        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("WJ01-red");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task ShowMoreAppearsOnlyWhileThereAreMoreProducts()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Many);

        await Expect(session.Catalogue).ToHaveCountAsync(48);
        await Expect(session.Page.Locator("#count")).ToHaveTextAsync($"{StorefrontFixture.ManyProducts} products");
        await session.Page.Locator("#more").ClickAsync();

        await Expect(session.Catalogue).ToHaveCountAsync(StorefrontFixture.ManyProducts);
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task NoCategories_SaysHowToUploadAndLeavesNoDeadControls()
    {
        await using var session = await StorefrontSession.OpenPageAsync(storefront, Viewports.Desktop, "", (200, """{"categories":[]}"""));
        await Screenshots.SaveAsync(session.Page, "empty-no-categories", output);

        await Expect(session.Page.Locator("#empty-no-categories")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#empty-no-categories")).ToContainTextAsync("az storage blob upload-batch -d product-images");
        await Expect(session.Page.Locator("#empty-no-key")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#category")).ToBeDisabledAsync();
        await Expect(session.Page.Locator("#photo")).ToBeDisabledAsync();
        await Expect(session.Catalogue).ToHaveCountAsync(0);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task NoKey_SaysWhereToPasteItAndOpensTheKeyField()
    {
        await using var session = await StorefrontSession.OpenPageAsync(
            storefront, Viewports.Desktop, "", (401, """{"title":"Unauthorized","status":401}"""));
        await Screenshots.SaveAsync(session.Page, "empty-no-key", output);

        await Expect(session.Page.Locator("#empty-no-key")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#empty-no-key")).ToContainTextAsync("API key");
        await Expect(session.Page.Locator("#key")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#key")).ToBeFocusedAsync();
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#photo")).ToBeDisabledAsync();
        await Expect(session.Page.Locator("#status.error")).ToContainTextAsync("function key");

        // Pasting a key asks again, and the catalogue appears (the app itself needs no key here).
        await session.Page.UnrouteAllAsync();
        await session.Page.FillAsync("#key", "pasted-key");
        await session.Page.Locator("#key").BlurAsync();
        await Expect(session.Catalogue.First).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#empty")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#photo")).ToBeEnabledAsync();
    }

    private static System.Text.RegularExpressions.Regex Over() => new(@"\bover\b");
}
