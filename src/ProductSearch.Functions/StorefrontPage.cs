using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using ProductSearch.Functions.Http;

namespace ProductSearch.Functions;

/// <summary>
/// The storefront demo page, the <c>&lt;similar-products&gt;</c> widget a shop pastes into its own pages, and their
/// assets, embedded in this assembly. Anonymous, as are the reads they make: nothing in them is secret.
/// </summary>
public sealed class StorefrontPage
{
    public const string Route = "storefront/{*path}";

    // The page's own origin serves scripts, styles and the API; product images come from blob storage or a CDN.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' http: https: data: blob:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Function(nameof(StorefrontPage))]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        string? path)
    {
        // The page's relative links (assets, ../categories) only resolve from the folder URL.
        if (string.IsNullOrEmpty(path) && request.Path.HasValue && !request.Path.Value.EndsWith('/'))
        {
            return new RedirectResult($"{request.PathBase}{request.Path}/{request.QueryString}");
        }

        // Only names in the embedded set are served, so no path, however crafted, reaches anything else.
        if (StorefrontAssets.Find(string.IsNullOrEmpty(path) ? StorefrontAssets.IndexPage : path) is not { } asset)
        {
            return ApiProblems.NotFound($"The storefront has no file '{path}'.");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache"; // Revalidated with the ETag: a deploy shows at once, an unchanged file costs a 304.
        if (asset.IsWidget)
        {
            // A module script from another origin loads only with CORS. The widget is public code, so any page may
            // load it; whether its API calls are answered is the CORS list's decision, and a page whose origin is
            // missing from it then shows the widget's error state rather than nothing.
            headers.AccessControlAllowOrigin = "*";
            headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        }

        return new FileContentResult(asset.Content, asset.ContentType) { EntityTag = new EntityTagHeaderValue(asset.ETag) };
    }
}
