using Microsoft.Playwright;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>The two screens the storefront must work on.</summary>
public static class Viewports
{
    // Reduced motion: the page then jumps to its results instead of scrolling smoothly, so screenshots are never mid-scroll.
    // English (US): prices are formatted in the browser's language, so a test knows what "29.00 EUR" reads as.
    public static BrowserNewContextOptions Desktop => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        ReducedMotion = ReducedMotion.Reduce,
        Locale = "en-US",
    };

    /// <summary>A common phone: 390 x 844 CSS pixels at 2x, touch.</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        ReducedMotion = ReducedMotion.Reduce,
        Locale = "en-US",
    };
}
