using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Search;

/// <summary>
/// How long browsers and edge caches (Front Door, any CDN) may reuse the answers that depend only on the URL and the
/// catalogue: the by-id answer, the category list and the product listing. Section <c>AnswerCache</c>. Photo answers
/// are never stored. See docs/storefront.md.
/// </summary>
public sealed class AnswerCacheOptions
{
    public const string Section = "AnswerCache";

    /// <summary>
    /// Fresh for this long: an upload or delete shows on a cached page at most this much (plus the cache's own
    /// <see cref="SearchOptions.StalenessSeconds"/>) later. 0 makes every reuse a revalidation, which a 304 answers cheaply.
    /// </summary>
    [Range(0, 86_400)]
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary>After going stale, a cache may still answer at once for this long while it revalidates in the background.</summary>
    [Range(0, 604_800)]
    public int StaleWhileRevalidateSeconds { get; set; } = 600;

    /// <summary>The <c>Cache-Control</c> value of a cacheable answer.</summary>
    public string CacheControl => FormattableString.Invariant($"public, max-age={MaxAgeSeconds}, stale-while-revalidate={StaleWhileRevalidateSeconds}");
}
