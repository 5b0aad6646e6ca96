using Microsoft.AspNetCore.Http;
using ProductSearch.Storage;

namespace ProductSearch.Functions.Http;

/// <summary>
/// Absolute thumbnail URLs for an answer: under <c>Thumbnails:BaseUrl</c> when set (a CDN), else under this app's own
/// <see cref="ProductThumbnail"/> route, from the scheme and host the request came to.
/// </summary>
internal sealed class ThumbnailLinks
{
    private readonly string _base;

    private ThumbnailLinks(string baseUrl) => _base = baseUrl;

    public static ThumbnailLinks For(HttpRequest request, ThumbnailOptions options)
    {
        if (!string.IsNullOrEmpty(options.BaseUrl))
        {
            return new ThumbnailLinks(options.BaseUrl.TrimEnd('/') + "/");
        }

        // Every answer with thumbnails comes from a route under "categories/"; what precedes it is the host's route prefix.
        var path = (request.PathBase + request.Path).Value ?? "";
        var categories = path.LastIndexOf("/categories/", StringComparison.Ordinal);
        var apiRoot = categories >= 0 ? path[..(categories + 1)] : "/api/";
        return new ThumbnailLinks($"{request.Scheme}://{request.Host.Value}{apiRoot}{ProductThumbnail.RoutePrefix}");
    }

    /// <summary>What every thumbnail URL starts with; an answer's entity tag covers it, as the URLs differ by host.</summary>
    public string Base => _base;

    /// <summary>The URL of a thumbnail; null when the image has none yet.</summary>
    public string? Of(string? name) => name is null ? null : _base + name;
}
