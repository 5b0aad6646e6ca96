using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Functions;

namespace ProductSearch.Testing;

/// <summary>
/// The function app's HTTP functions behind Kestrel on 127.0.0.1 (a free port), since the Functions host
/// cannot run here: each route and method of a function's trigger calls that function class's method, created
/// from the harness's container as the worker does per invocation, and its IActionResult is executed by MVC
/// as the worker's ASP.NET Core integration does. The "api/" prefix is the host's default route prefix.
/// </summary>
public sealed class FunctionAppServer : IAsyncDisposable
{
    public const string RoutePrefix = "api/";

    private readonly WebApplication _app;

    private FunctionAppServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The routes served, as "METHOD route template", to check them against the OpenAPI description.</summary>
    public static IReadOnlyList<(string Method, string Route)> Routes { get; } =
    [
        ("GET", ListCategories.Route),
        ("GET", ListCategoryProducts.Route),
        ("GET", SimilarByImageId.Route),
        ("POST", SimilarByUpload.Route),
        ("DELETE", DeleteProductImage.Route),
        ("PUT", SetProductAttributes.Route),
        ("DELETE", ClearProductAttributes.Route),
        ("GET", StorefrontPage.Route),
        ("GET", ProductThumbnail.Route),
    ];

    /// <summary>
    /// Starts the server. <paramref name="allowedOrigins"/> stands in for the platform's CORS: the Functions host
    /// answers CORS for the app (Core Tools from <c>Host.CORS</c> in local.settings.json, Azure from the function
    /// app's CORS list), never the app's code, so with a list this server applies ASP.NET Core's CORS middleware
    /// with the same list, as the host does; without one it sends no CORS headers of its own. <paramref name="observe"/>
    /// runs first on every request, for a benchmark to time what the server does (when an answer's headers leave).
    /// </summary>
    public static async Task<FunctionAppServer> StartAsync(
        FunctionAppHarness functions, IReadOnlyCollection<string>? allowedOrigins = null, Func<HttpContext, RequestDelegate, Task>? observe = null)
    {
        var builder = LoopbackWebApplication.CreateBuilder();
        builder.Services.AddMvcCore();
        builder.Services.AddCors();
        var app = builder.Build();
        if (observe is not null)
        {
            app.Use(observe);
        }

        if (allowedOrigins is not null)
        {
            app.UseCors(policy => policy.WithOrigins([.. allowedOrigins]).AllowAnyMethod().AllowAnyHeader());
        }

        app.MapGet(RoutePrefix + ListCategories.Route, (HttpContext c) =>
            RunAsync(c, functions.Function<ListCategories>().RunAsync(c.Request, c.RequestAborted)));
        app.MapGet(RoutePrefix + ListCategoryProducts.Route, (HttpContext c, string category) =>
            RunAsync(c, functions.Function<ListCategoryProducts>().RunAsync(c.Request, category, c.RequestAborted)));
        app.MapGet(RoutePrefix + SimilarByImageId.Route, (HttpContext c, string category, string id) =>
            RunAsync(c, functions.Function<SimilarByImageId>().RunAsync(c.Request, category, id, c.RequestAborted)));
        app.MapPost(RoutePrefix + SimilarByUpload.Route, (HttpContext c, string category) =>
            RunAsync(c, functions.Function<SimilarByUpload>().RunAsync(c.Request, category, c.RequestAborted)));
        app.MapDelete(RoutePrefix + DeleteProductImage.Route, (HttpContext c, string category, string id) =>
            RunAsync(c, functions.Function<DeleteProductImage>().RunAsync(c.Request, category, id, c.RequestAborted)));
        app.MapPut(RoutePrefix + SetProductAttributes.Route, (HttpContext c, string category, string productId) =>
            RunAsync(c, functions.Function<SetProductAttributes>().RunAsync(c.Request, category, productId, c.RequestAborted)));
        app.MapDelete(RoutePrefix + ClearProductAttributes.Route, (HttpContext c, string category, string productId) =>
            RunAsync(c, functions.Function<ClearProductAttributes>().RunAsync(c.Request, category, productId, c.RequestAborted)));
        app.MapGet(RoutePrefix + StorefrontPage.Route, (HttpContext c, string? path) =>
            RunAsync(c, Task.FromResult(functions.Function<StorefrontPage>().Run(c.Request, path))));
        app.MapGet(RoutePrefix + ProductThumbnail.Route, (HttpContext c, string name) =>
            RunAsync(c, functions.Function<ProductThumbnail>().RunAsync(c.Request, name, c.RequestAborted)));

        return new FunctionAppServer(app, await LoopbackWebApplication.StartAsync(app));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task RunAsync(HttpContext context, Task<IActionResult> function)
    {
        var result = await function;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }
}
