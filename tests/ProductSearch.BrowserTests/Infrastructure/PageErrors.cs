using Microsoft.Playwright;

namespace ProductSearch.BrowserTests.Infrastructure;

internal static class PageErrors
{
    /// <summary>Console errors and uncaught exceptions of <paramref name="page"/> from now on: a failed image, a CSP violation, a script bug.</summary>
    public static List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
