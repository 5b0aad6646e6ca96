using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using ProductSearch.Search;

namespace ProductSearch.Functions.Http;

/// <summary>
/// HTTP caching of the answers that depend only on the URL and the catalogue: their entity tag, how long a browser or
/// an edge cache may reuse them, and <c>304 Not Modified</c> for a request that holds the current tag already.
/// </summary>
internal static class AnswerCaching
{
    /// <summary>
    /// What the request holds (<c>If-None-Match</c>), compared weakly as RFC 9110 requires for that header; <paramref name="links"/>
    /// is the base of the answer's own URLs, which the tag covers.
    /// </summary>
    public static AnswerCondition ConditionOf(HttpRequest request, string links = "") => new(etag => Holds(request, etag), links);

    /// <summary>
    /// The answer, or <c>304</c> when the request holds <paramref name="etag"/>; both with the tag and the cache headers
    /// (a 304 repeats them, so a cache refreshes its copy's lifetime).
    /// </summary>
    public static IActionResult Cacheable(HttpRequest request, string etag, AnswerCacheOptions options, Func<IActionResult> answer)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = options.CacheControl;
        // A CORS answer names the page's origin (the platform adds it in Azure): an edge cache must keep one copy per origin.
        headers.Vary = HeaderNames.Origin;
        return Holds(request, etag) ? new StatusCodeResult(StatusCodes.Status304NotModified) : answer();
    }

    /// <summary>For answers no cache may keep (photo searches: the photo is the shopper's).</summary>
    public static void NoStore(HttpRequest request) => request.HttpContext.Response.Headers.CacheControl = "no-store";

    private static bool Holds(HttpRequest request, string etag)
    {
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var held) || held.Count == 0)
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(etag);
        return held.Any(h => h.Equals(EntityTagHeaderValue.Any) || h.Compare(current, useStrongComparison: false));
    }
}
