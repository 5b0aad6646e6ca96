using Microsoft.Playwright;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>The two screens the storefront must work on.</summary>
public static class Viewports
{
    // Reduced motion: the page then jumps to its results instead of scrolling smoothly, so screenshots are never mid-scroll.
    public static BrowserNewContextOptions Desktop => new() { ViewportSize = new ViewportSize { Width = 1280, Height = 860 }, ReducedMotion = ReducedMotion.Reduce };

    /// <summary>A common phone: 390 x 844 CSS pixels at 2x, touch.</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        ReducedMotion = ReducedMotion.Reduce,
    };
}
