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
    public async Task DroppingAFileThatIsNotAnImageShowsTheErrorInViewWhereverThePageIsScrolled()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Many);
        await ScrollToTheBottomAsync(session.Page);
        var searches = new List<string>();
        session.Page.Request += (_, r) =>
        {
            if (r.Url.Contains("/similar", StringComparison.Ordinal))
            {
                searches.Add(r.Url);
            }
        };

        await DropAsync(session.Page, "notes.txt", "text/plain", "a shopping list"u8.ToArray());

        await ExpectErrorInViewAsync(session.Page, "notes.txt is not a photo");
        await Screenshots.SaveAsync(session.Page, "desktop-error-in-view", output);
        Assert.Empty(searches); // The browser knew it was no image: nothing was sent.
        await Expect(session.Page.Locator("#similar")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AnUnusablePhotoShowsTheApiProblemInViewWhereverThePageIsScrolled()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, StorefrontFixture.Many);
        await ScrollToTheBottomAsync(session.Page);

        await DropAsync(session.Page, "notes.jpg", "image/jpeg", "not an image"u8.ToArray());

        // The API's own problem detail, whatever its wording: 400 Unusable image.
        await ExpectErrorInViewAsync(session.Page, "image");
        await Expect(session.Page.Locator("#status.error")).ToHaveTextAsync(await session.Page.Locator("#alert-text").InnerTextAsync());
        await Expect(session.Page.Locator("#similar")).ToBeHiddenAsync();

        await session.Page.Locator("#close-alert").ClickAsync();
        await Expect(session.Page.Locator("#alert")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task NoRequestCarriesAKeyAndThePageStoresNothingInTheBrowser()
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
        await session.Page.ReloadAsync(); // from the first request on
        await Expect(session.Catalogue).ToHaveCountAsync(GeneratedProducts);
        await session.Catalogue.First.ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);
        await session.Page.SetInputFilesAsync("#photo", new FilePayload { Name = "from-disk.jpg", MimeType = "image/jpeg", Buffer = ProductPhotoGenerator.Jpeg(1, shot: 17) });
        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("from-disk.jpg");

        // The categories, a page of products, a search by id and one by photo: all anonymous.
        Assert.Contains(apiRequests, r => r.Url.EndsWith("/api/categories", StringComparison.Ordinal));
        Assert.Contains(apiRequests, r => r.Url.Contains("/products?", StringComparison.Ordinal));
        Assert.Contains(apiRequests, r => r.Method == "GET" && r.Url.Contains("/similar?", StringComparison.Ordinal));
        Assert.Contains(apiRequests, r => r.Method == "POST" && r.Url.Contains("/similar?", StringComparison.Ordinal));
        foreach (var request in apiRequests)
        {
            Assert.Null(await request.HeaderValueAsync("x-functions-key"));
            Assert.DoesNotContain("code=", request.Url, StringComparison.Ordinal);
        }

        Assert.Equal(0, await session.Page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        await Expect(session.Page.Locator("input[type=password]")).ToHaveCountAsync(0);
        Assert.Empty(session.Errors);
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
        // Its photo is the listing's thumbnail of that main image, or the image itself where there is no thumbnail.
        using var http = new HttpClient { BaseAddress = storefront.Server.BaseAddress };
        var listing = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(FunctionAppServer.RoutePrefix + "categories/multishot/products"))!;
        var first = listing["products"]![0]!;
        Assert.EndsWith("/multishot/wj01-red_main.jpg", (string)first["imageUrl"]!, StringComparison.Ordinal);
        Assert.Equal((string?)first["thumbnailUrl"] ?? (string)first["imageUrl"]!, await session.Catalogue.Nth(0).Locator("img").GetAttributeAsync("src"));

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
        await Expect(session.Page.Locator("#empty-no-categories")).ToContainTextAsync("product-search import");
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#category")).ToBeDisabledAsync();
        await Expect(session.Page.Locator("#photo")).ToBeDisabledAsync();
        await Expect(session.Catalogue).ToHaveCountAsync(0);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task AnApiFailureShowsItsProblemInViewAndLeavesNoDeadControls()
    {
        await using var session = await StorefrontSession.OpenPageAsync(
            storefront, Viewports.Desktop, "", (503, """{"title":"Service Unavailable","status":503,"detail":"Busy: try again in a few seconds."}"""));

        await ExpectErrorInViewAsync(session.Page, "Busy: try again in a few seconds.");
        await Expect(session.Page.Locator("#empty")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#more")).ToBeHiddenAsync();
        await Expect(session.Page.Locator("#category")).ToBeDisabledAsync();
        await Expect(session.Page.Locator("#photo")).ToBeDisabledAsync();
        await Expect(session.Catalogue).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task OnAPhoneEveryProductNameShowsInFull()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Phone, StorefrontFixture.MultiShot);
        await Expect(session.Catalogue.Locator(".name")).ToHaveTextAsync(["WJ01-red", "WJ02-blue", "WJ03-green"]);
        await Screenshots.SaveAsync(session.Page, "phone-names", output);
        await ExpectNamesShownInFullAsync(session.Catalogue);

        await session.Catalogue.Nth(0).TapAsync();
        await Expect(session.Similar).ToHaveCountAsync(2);
        await ExpectNamesShownInFullAsync(session.Similar);
    }

    [Fact]
    public async Task ProductsWithAttributesShowAsCardsWithTitlePriceAndProductPageAndTheirResultsToo()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, CardCatalogue.Category);
        await Expect(session.Catalogue).ToHaveCountAsync(CardCatalogue.Products.Count);

        // Each tile names its product by title (its id only where there is none), shows the price where there is one
        // and links its product page beside it; the product with no attributes is its photo and id alone.
        var cards = await CardsAsync(session.Page.Locator("#catalogue > li"));
        Assert.Equal(CardCatalogue.Products.Select(ExpectedCard).OrderBy(c => c.ImageId), cards.OrderBy(c => c.ImageId));
        Assert.Contains(new Card("card-0.jpg", "Tee Aero", "€29.00", "https://shop.example/p/tee-aero"), cards);
        Assert.Contains(new Card($"{CardCatalogue.Bare}.jpg", CardCatalogue.Bare, null, null), cards);
        var link = session.Page.Locator("#catalogue > li > a.product-link[href='https://shop.example/p/tee-aero']");
        await Expect(link).ToHaveTextAsync("Product page");
        await Expect(link).ToHaveAccessibleNameAsync("Tee Aero: product page");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");

        await session.Page.Locator("#catalogue .tile[data-id='card-1.jpg']").ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);
        await Expect(session.Page.Locator("#query-label")).ToContainTextAsync("Hoodie Ridge");
        var results = await CardsAsync(session.Page.Locator("#similar-grid > li"));
        Assert.Equal(results.Select(r => ExpectedCard(CardCatalogue.ByImageId(r.ImageId))), results);
        Assert.DoesNotContain(results, r => r.ImageId == "card-1.jpg");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task TheFilterBarOffersInStockAndEveryLabelOfTheListingAndHidesWhereThereAreNoLabels()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, CardCatalogue.Category);

        await Expect(session.Page.Locator("#filters")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#in-stock")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#in-stock")).Not.ToBeCheckedAsync();
        await Expect(session.Page.Locator("#label-filter")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#label-filter option")).ToHaveTextAsync([.. CardCatalogue.LabelChoices]);
        await Expect(session.Page.Locator("#label-filter")).ToHaveValueAsync("");

        // Another category's products carry no labels: nothing to filter on, so no bar.
        await session.Page.SelectOptionAsync("#category", StorefrontFixture.Shapes);
        await Expect(session.Catalogue).ToHaveCountAsync(GeneratedProducts);
        await Expect(session.Page.Locator("#filters")).ToBeHiddenAsync();
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task InStockOnlyReQueriesWithTheFilterAndShowsTheNearestInStockProducts()
    {
        await using var session = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, CardCatalogue.Category);
        await session.Page.Locator("#catalogue .tile[data-id='card-1.jpg']").ClickAsync();
        await Expect(session.Similar).ToHaveCountAsync(4);

        var requery = session.Page.WaitForRequestAsync(r => r.Url.Contains("/similar?", StringComparison.Ordinal));
        await session.Page.CheckAsync("#in-stock");
        var request = await requery;

        // The filter goes to the API, which ranks among the products that match: five are in stock besides the one
        // clicked (which is not), so all four places are filled, and with the nearest of them.
        Assert.Contains("filter=instock%20%3D%20true", request.Url, StringComparison.Ordinal);
        await Expect(session.Page.Locator("#status")).ToHaveTextAsync($"4 most similar products that match the filter in {CardCatalogue.Category}, nearest first.");
        var shown = await session.Similar.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.id)");
        Assert.Equal(4, shown.Length);
        Assert.All(shown, id => Assert.True(CardCatalogue.ByImageId(id).InStock, $"{id} is not in stock"));
        using var http = new HttpClient { BaseAddress = storefront.Server.BaseAddress };
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
            $"{FunctionAppServer.RoutePrefix}categories/{CardCatalogue.Category}/products/card-1.jpg/similar?top=4&filter={Uri.EscapeDataString("instock = true")}"))!;
        Assert.Equal(answer["results"]!.AsArray().Select(r => (string)r!["id"]!), shown);

        // A label as well: both must hold, and only two products are blue and in stock, so two show.
        requery = session.Page.WaitForRequestAsync(r => r.Url.Contains("/similar?", StringComparison.Ordinal));
        await session.Page.SelectOptionAsync("#label-filter", new SelectOptionValue { Label = "color: blue" });
        Assert.Contains("filter=" + Uri.EscapeDataString("instock = true AND color = \"blue\""), (await requery).Url, StringComparison.Ordinal);
        await Expect(session.Page.Locator("#status")).ToHaveTextAsync($"2 most similar products that match the filter in {CardCatalogue.Category}, nearest first.");
        Assert.Equal(
            ["card-0.jpg", "card-5.jpg"],
            (await session.Similar.EvaluateAllAsync<string[]>("tiles => tiles.map(t => t.dataset.id)")).Order(StringComparer.Ordinal));
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task ProductCardsReadWellOnADesktopAndOnAPhone()
    {
        await using (var desktop = await StorefrontSession.OpenAsync(storefront, Viewports.Desktop, CardCatalogue.Category))
        {
            await Expect(desktop.Catalogue).ToHaveCountAsync(CardCatalogue.Products.Count);
            await Screenshots.SaveAsync(desktop.Page, "desktop-cards", output);
            await ExpectCardsLaidOutAsync(desktop.Page.Locator("#catalogue > li"));
            await desktop.Page.Locator("#catalogue .tile[data-id='card-1.jpg']").ClickAsync();
            await Expect(desktop.Similar).ToHaveCountAsync(4);
            await Screenshots.SaveAsync(desktop.Page, "desktop-cards-similar", output);
            await ExpectCardsLaidOutAsync(desktop.Page.Locator("#similar-grid > li"));
            Assert.Empty(desktop.Errors);
        }

        await using var phone = await StorefrontSession.OpenAsync(storefront, Viewports.Phone, CardCatalogue.Category);
        await Expect(phone.Catalogue).ToHaveCountAsync(CardCatalogue.Products.Count);
        await Screenshots.SaveAsync(phone.Page, "phone-cards", output);
        var scrollWidth = await phone.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} px wide on a 390 px screen");
        await ExpectNamesShownInFullAsync(phone.Catalogue);
        await ExpectCardsLaidOutAsync(phone.Page.Locator("#catalogue > li"));
        await phone.Catalogue.Nth(1).TapAsync();
        await Expect(phone.Similar).ToHaveCountAsync(4);
        await Screenshots.SaveAsync(phone.Page, "phone-cards-similar", output);
        await ExpectNamesShownInFullAsync(phone.Similar);
        await ExpectCardsLaidOutAsync(phone.Page.Locator("#similar-grid > li"));
        Assert.Empty(phone.Errors);
    }

    private sealed record Card(string ImageId, string Name, string? Price, string? Link);

    private static Card ExpectedCard(CardCatalogue.Product product) =>
        new(product.ImageId, product.Name, product.PriceInEnglish, product.Attributes?.Url);

    // Each grid item as a shopper reads it: the tile's name and price, and the product-page link beside the tile.
    private static async Task<List<Card>> CardsAsync(ILocator items) => System.Text.Json.JsonSerializer.Deserialize<List<Card>>(
        await items.EvaluateAllAsync<string>(
            """
            items => JSON.stringify(items.map((li) => ({
              imageId: li.querySelector('.tile').dataset.id,
              name: li.querySelector('.tile .name').textContent,
              price: li.querySelector('.tile .price')?.textContent ?? null,
              link: li.querySelector(':scope > a.product-link')?.href ?? null,
            })))
            """),
        System.Text.Json.JsonSerializerOptions.Web)!;

    // The price is drawn whole inside its tile, and the product-page link sits below the tile, inside its column,
    // overlapping nothing: not the tile, not the next row's tiles.
    private static async Task ExpectCardsLaidOutAsync(ILocator items)
    {
        var problems = await items.EvaluateAllAsync<string[]>(
            """
            items => items.flatMap((li) => {
              const tile = li.querySelector('.tile').getBoundingClientRect();
              const name = li.querySelector('.tile .name').textContent;
              const found = [];
              const price = li.querySelector('.tile .price');
              if (price) {
                const p = price.getBoundingClientRect();
                if (p.width === 0 || p.left < tile.left || p.right > tile.right || p.bottom > tile.bottom || price.scrollWidth > price.clientWidth + 1)
                  found.push(`${name}: price ${price.textContent} cut`);
              }
              const link = li.querySelector(':scope > a.product-link');
              if (link) {
                const l = link.getBoundingClientRect();
                if (l.top < tile.bottom) found.push(`${name}: link overlaps its tile`);
                if (l.left < tile.left || l.right > tile.right) found.push(`${name}: link outside its column`);
                // What is drawn at its middle is the link itself (checkable only in the window).
                if (l.top >= 0 && l.bottom <= innerHeight) {
                  const top = document.elementFromPoint(l.left + l.width / 2, l.top + l.height / 2);
                  if (!link.contains(top)) found.push(`${name}: link covered by ${top?.className}`);
                }
              }
              return found;
            })
            """);
        Assert.True(problems.Length == 0, string.Join(", ", problems));
    }

    // Each name is drawn whole: not cut by an ellipsis or by its tile (the badge beside it moves to its own line).
    private static async Task ExpectNamesShownInFullAsync(ILocator tiles)
    {
        var cut = await tiles.EvaluateAllAsync<string[]>(
            """
            tiles => tiles.flatMap((tile) => {
              const name = tile.querySelector('.name');
              const n = name.getBoundingClientRect(), t = tile.getBoundingClientRect();
              const whole = name.scrollWidth <= name.clientWidth && n.left >= t.left && n.right <= t.right && n.bottom <= t.bottom;
              return whole ? [] : [`${name.textContent}: ${Math.round(n.width)} of ${name.scrollWidth} px shown`];
            })
            """);
        Assert.True(cut.Length == 0, string.Join(", ", cut));
    }

    private static async Task ScrollToTheBottomAsync(IPage page)
    {
        await page.EvaluateAsync("async () => { scrollTo(0, document.documentElement.scrollHeight); await new Promise(requestAnimationFrame); }");
        await Expect(page.Locator("#status")).Not.ToBeInViewportAsync(); // where the page used to say what went wrong
    }

    private static async Task DropAsync(IPage page, string name, string type, byte[] content)
    {
        var dataTransfer = await page.EvaluateHandleAsync(
            """
            ([base64, name, type]) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], name, { type }));
              return transfer;
            }
            """,
            new[] { Convert.ToBase64String(content), name, type });
        // Where a shopper lets go: over the middle of the window, far from the status line at the top of the page.
        await page.DispatchEventAsync("#catalogue", "drop", new { dataTransfer });
    }

    // In view means inside the window and on top: not scrolled away, and not under the sticky header.
    private static async Task ExpectErrorInViewAsync(IPage page, string text)
    {
        var alert = page.Locator("#alert");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToContainTextAsync(text);
        await Expect(alert).ToBeInViewportAsync(new() { Ratio = 1 });
        var onTop = await alert.EvaluateAsync<bool>(
            """
            (alert) => {
              const r = alert.getBoundingClientRect();
              return [[r.left + 8, r.top + 8], [r.left + r.width / 2, r.top + r.height / 2], [r.right - 8, r.bottom - 8]]
                .every(([x, y]) => alert.contains(document.elementFromPoint(x, y)));
            }
            """);
        Assert.True(onTop, "something covers the error");
    }

    private static System.Text.RegularExpressions.Regex Over() => new(@"\bover\b");
}
