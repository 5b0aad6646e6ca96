using Microsoft.Playwright;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>
/// One Azurite, one function app over it with indexed photos, one Kestrel server and one Chromium for the
/// whole collection: indexing and starting a browser are the slow parts, and every test only reads.
/// </summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    /// <summary>Generated photos: 8 products, known shots, so results can be asserted exactly.</summary>
    public const string Shapes = "shapes";

    public const int ShotsPerProduct = 4;

    /// <summary>Products with a differing number of shots, some named <c>_main</c> as shop exports name them.</summary>
    public const string MultiShot = "multishot";

    /// <summary>More products than one page of the grid (48), one shot each.</summary>
    public const string Many = "many";

    public const int ManyProducts = 50;

    /// <summary>Real shop photos from the shared data set (when present), for screenshots a person would recognise.</summary>
    public const string MenTees = "men-tees";

    public const string Lamps = "lamps";

    private readonly AzuriteFixture _azurite = new();
    private IPlaywright? _playwright;

    public FunctionAppHarness Functions { get; private set; } = null!;

    public FunctionAppServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri StorefrontUrl => new(Server.BaseAddress, FunctionAppServer.RoutePrefix + "storefront/");

    /// <summary>The category the screenshots show: real photos when the shared data set is there.</summary>
    public string ShowcaseCategory { get; private set; } = Shapes;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // The catalogue container stays private, as in Azure: tiles load the app's thumbnails, never the blobs.
        Functions = new FunctionAppHarness(_azurite);

        await CatalogueSeed.IndexGeneratedAsync(Functions, Shapes, ShotsPerProduct);
        await CatalogueSeed.IndexAsync(Functions, MultiShot,
        [
            // Three shots, the main one neither first nor last by name; one shot alone; two shots with no main.
            new("wj01-red_alt1.jpg", "WJ01-red", ProductPhotoGenerator.Jpeg(0, 0)),
            new("wj01-red_back.jpg", "WJ01-red", ProductPhotoGenerator.Jpeg(0, 1)),
            new("wj01-red_main.jpg", "WJ01-red", ProductPhotoGenerator.Jpeg(0, 2)),
            new("wj02-blue_main.jpg", "WJ02-blue", ProductPhotoGenerator.Jpeg(1, 0)),
            new("wj03-green-1.jpg", "WJ03-green", ProductPhotoGenerator.Jpeg(2, 0)),
            new("wj03-green-2.jpg", "WJ03-green", ProductPhotoGenerator.Jpeg(2, 1)),
        ]);
        await CatalogueSeed.IndexAsync(Functions, Many, Enumerable.Range(0, ManyProducts).Select(i =>
            new CatalogueSeed.Photo($"item-{i:D2}.jpg", $"item-{i:D2}", ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, i / ProductPhotoGenerator.ProductCount))));
        await CardCatalogue.IndexAsync(Functions);
        if (await CatalogueSeed.TryIndexSharedAsync(Functions, "magento-luma", MenTees))
        {
            ShowcaseCategory = MenTees;
            await CatalogueSeed.TryIndexSharedAsync(Functions, "ikea", Lamps);
        }

        Server = await FunctionAppServer.StartAsync(Functions);
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Functions is not null)
        {
            await Functions.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontFixture>
{
    public const string Name = "Storefront";
}
