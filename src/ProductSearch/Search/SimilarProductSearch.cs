using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Features;

namespace ProductSearch.Search;

/// <summary>The storefront's two questions: more like an indexed image, and more like an uploaded photo.</summary>
public sealed class SimilarProductSearch
{
    private readonly CategoryVectorCache _cache;
    private readonly FeatureExtractor _extractor;
    private readonly ILogger<SimilarProductSearch> _logger;
    private readonly float _nearDuplicateDistance;

    public SimilarProductSearch(
        CategoryVectorCache cache, FeatureExtractor extractor, IOptions<SearchOptions> options, ILogger<SimilarProductSearch> logger)
    {
        _nearDuplicateDistance = (float)options.Value.NearDuplicateDistance;
        _cache = cache;
        _extractor = extractor;
        _logger = logger;
    }

    /// <summary>Uses the stored vector (no re-extraction) and leaves the query image out of the results.</summary>
    public async Task<SimilarProductsResult> ByImageIdAsync(string category, string imageId, SimilarityQuery request, CancellationToken cancellationToken)
    {
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        var query = index.GetVector(imageId);
        return query is null
            ? SimilarProductsResult.Failed(SearchFailure.UnknownImage)
            : SimilarProductsResult.Found(Search(index, query, request with
            {
                ExcludedImageId = imageId,
                ExcludedProductId = request.GroupByProduct ? index.GetProductId(imageId) : null,
            }));
    }

    /// <summary>Extracts the photo's vector; a bad photo throws <see cref="Imaging.ImageRejectedException"/>.</summary>
    public async Task<SimilarProductsResult> ByImageAsync(string category, Stream image, SimilarityQuery request, CancellationToken cancellationToken)
    {
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        var query = await _extractor.ExtractAsync(image, cancellationToken);
        return SimilarProductsResult.Found(Search(index, query, request));
    }

    private SimilarProducts Search(CategoryIndex index, float[] query, SimilarityQuery request)
    {
        var started = TimeProvider.System.GetTimestamp();
        var (results, searched) = index.Search(query, request);
        _logger.LogDebug(
            "Searched {Searched} vectors of {Category} in {ElapsedMs} ms", searched, index.Category, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        return new SimilarProducts(
            index.Category,
            index.ModelId,
            searched,
            results.Select(r => new SimilarProduct(r.Image.ImageId, r.Image.ProductId, r.Distance, r.Image.ImageUrl, r.Distance <= _nearDuplicateDistance)).ToList());
    }
}
