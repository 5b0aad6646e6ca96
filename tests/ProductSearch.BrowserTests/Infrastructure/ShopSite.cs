using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        builder.Logging.AddFilter(_ => false);
        var app = builder.Build();
        var pages = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.MapGet("/{**path}", (string? path) => pages.TryGetValue("/" + path, out var html)
            ? Results.Content(html, "text/html; charset=utf-8")
            : Results.NotFound());

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ShopSite(app, pages, new Uri(address.TrimEnd('/') + "/"));
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
