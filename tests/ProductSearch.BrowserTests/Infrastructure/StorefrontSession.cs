using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>One browser tab on the storefront, with the page's own errors collected so a test can assert there were none.</summary>
public sealed class StorefrontSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private StorefrontSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        Errors = PageErrors.Watch(page);
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions: a failed image, a CSP violation, a script bug.</summary>
    public List<string> Errors { get; }

    public ILocator Catalogue => Page.Locator("#catalogue .tile");

    public ILocator Similar => Page.Locator("#similar-grid .tile");

    public static async Task<StorefrontSession> OpenAsync(StorefrontFixture storefront, BrowserNewContextOptions viewport, string category)
    {
        var session = await OpenPageAsync(storefront, viewport, category, categoriesAnswer: null);
        await Expect(session.Page.Locator("#category")).ToHaveValueAsync(category);
        await Expect(session.Catalogue.First).ToBeVisibleAsync();
        return session;
    }

    /// <summary>
    /// The page with the categories call answered by <paramref name="categoriesAnswer"/> (status and JSON body) instead
    /// of the app: a failure (the host busy or misconfigured) or an empty container, which this fixture's shared
    /// catalogue cannot be.
    /// </summary>
    public static async Task<StorefrontSession> OpenPageAsync(
        StorefrontFixture storefront, BrowserNewContextOptions viewport, string category, (int Status, string Body)? categoriesAnswer)
    {
        var context = await storefront.Browser.NewContextAsync(viewport);
        var page = await context.NewPageAsync();
        var session = new StorefrontSession(context, page);
        if (categoriesAnswer is { } answer)
        {
            await page.RouteAsync("**/api/categories", route => route.FulfillAsync(new RouteFulfillOptions
            {
                Status = answer.Status,
                ContentType = answer.Status < 400 ? "application/json" : "application/problem+json",
                Body = answer.Body,
            }));
        }

        await page.GotoAsync(new Uri(storefront.StorefrontUrl, "#" + Uri.EscapeDataString(category)).ToString());
        return session;
    }

    /// <summary>The product ids and distances the "more like this" panel shows, top to bottom.</summary>
    public async Task<List<(string ProductId, double Distance)>> SimilarResultsAsync()
    {
        var results = new List<(string, double)>();
        foreach (var tile in await Similar.AllAsync())
        {
            var productId = await tile.Locator(".name").InnerTextAsync();
            // "0.412", or "same photo · 0.001" for a near-duplicate.
            var distance = double.Parse((await tile.Locator(".distance").InnerTextAsync()).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            results.Add((productId, distance));
        }

        return results;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
