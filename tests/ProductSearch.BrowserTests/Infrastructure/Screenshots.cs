using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>Saves what the browser shows as a test artifact, and says where.</summary>
public static class Screenshots
{
    public static async Task<string> SaveAsync(IPage page, string name, ITestOutputHelper output)
    {
        await WaitForImagesAsync(page);
        Directory.CreateDirectory(TestPaths.Screenshots);
        var path = Path.Combine(TestPaths.Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"Screenshot: {path}");
        return path;
    }

    /// <summary>Waits until every image in view has loaded or failed, so a screenshot never shows them half drawn.</summary>
    public static Task WaitForImagesAsync(IPage page) => page.EvaluateAsync(
        """
        () => Promise.all([...document.images]
          .filter((i) => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
          .map((i) => i.complete ? i.decode().catch(() => {}) : new Promise((done) => { i.onload = i.onerror = done; })))
        """);
}
