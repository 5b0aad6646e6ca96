using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>
/// A shop's own web server: plain HTML pages on 127.0.0.1 at a free port of its own, so a page it serves is of
/// another origin than the function app (an origin is scheme, host and port).
/// </summary>
public sealed class ShopSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages;

    private ShopSite(WebApplication app, ConcurrentDictionary<string, string> pages, Uri baseAddress)
    {
        _app = app;
        _pages = pages;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The origin a browser sends in <c>Origin</c> for this site's pages, e.g. <c>http://127.0.0.1:41235</c>.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public static async Task<ShopSite> StartAsync()
    {
        var app = LoopbackWebApplication.CreateBuilder().Build();
        var pages = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.MapGet("/{**path}", (string? path) => pages.TryGetValue("/" + path, out var html)
            ? Results.Content(html, "text/html; charset=utf-8")
            : Results.NotFound());

        return new ShopSite(app, pages, await LoopbackWebApplication.StartAsync(app));
    }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/> and returns the page's URL.</summary>
    public Uri Serve(string path, string html)
    {
        _pages[path] = html;
        return new Uri(BaseAddress, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
