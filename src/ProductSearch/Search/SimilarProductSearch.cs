using Microsoft.Extensions.Logging;
using ProductSearch.Features;

namespace ProductSearch.Search;

/// <summary>The storefront's two questions: more like an indexed image, and more like an uploaded photo.</summary>
public sealed class SimilarProductSearch
{
    private readonly CategoryVectorCache _cache;
    private readonly FeatureExtractor _extractor;
    private readonly ILogger<SimilarProductSearch> _logger;

    public SimilarProductSearch(CategoryVectorCache cache, FeatureExtractor extractor, ILogger<SimilarProductSearch> logger)
    {
        _cache = cache;
        _extractor = extractor;
        _logger = logger;
    }

    /// <summary>Uses the stored vector (no re-extraction) and leaves the query image out of the results.</summary>
    public async Task<SimilarProductsResult> ByImageIdAsync(string category, string imageId, int top, CancellationToken cancellationToken)
    {
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        var query = index.GetVector(imageId);
        return query is null
            ? SimilarProductsResult.Failed(SearchFailure.UnknownImage)
            : SimilarProductsResult.Found(Search(index, query, top, imageId));
    }

    /// <summary>Extracts the photo's vector; a bad photo throws <see cref="Imaging.ImageRejectedException"/>.</summary>
    public async Task<SimilarProductsResult> ByImageAsync(string category, Stream image, int top, CancellationToken cancellationToken)
    {
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        var query = await _extractor.ExtractAsync(image, cancellationToken);
        return SimilarProductsResult.Found(Search(index, query, top, excludedImageId: null));
    }

    private SimilarProducts Search(CategoryIndex index, float[] query, int top, string? excludedImageId)
    {
        var started = TimeProvider.System.GetTimestamp();
        var (results, searched) = index.Search(query, top, excludedImageId);
        _logger.LogDebug(
            "Searched {Searched} vectors of {Category} in {ElapsedMs} ms", searched, index.Category, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        return new SimilarProducts(
            index.Category,
            index.ModelId,
            searched,
            results.Select(r => new SimilarProduct(r.Image.ImageId, r.Image.ProductId, r.Distance, r.Image.ImageUrl)).ToList());
    }
}
