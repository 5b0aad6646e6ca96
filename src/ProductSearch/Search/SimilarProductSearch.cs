using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Telemetry;

namespace ProductSearch.Search;

/// <summary>The storefront's two questions: more like an indexed image, and more like an uploaded photo.</summary>
public sealed class SimilarProductSearch
{
    private readonly CategoryVectorCache _cache;
    private readonly FeatureExtractorStartup _extractor;
    private readonly DecodeAdmission _admission;
    private readonly ILogger<SimilarProductSearch> _logger;
    private readonly float _nearDuplicateDistance;
    private readonly QueryExpander _expander;
    private readonly TimeProvider _time;
    private readonly AnswerETags _tags;

    public SimilarProductSearch(
        CategoryVectorCache cache,
        FeatureExtractorStartup extractor,
        AnswerETags tags,
        DecodeAdmission admission,
        IOptions<SearchOptions> options,
        TimeProvider time,
        ILogger<SimilarProductSearch> logger)
    {
        _admission = admission;
        _time = time;
        _tags = tags;
        _nearDuplicateDistance = (float)options.Value.NearDuplicateDistance;
        _expander = new QueryExpander(options.Value.QueryExpansionNeighbours, (float)options.Value.QueryExpansionAlpha);
        _cache = cache;
        _extractor = extractor;
        _logger = logger;
    }

    /// <summary>
    /// Uses the stored vector (no re-extraction) and leaves the query image out of the results. The answer carries its
    /// entity tag; when <paramref name="condition"/> says the caller holds that tag already, nothing is searched and the
    /// result is <see cref="SimilarProductsResult.NotModified"/>.
    /// </summary>
    public Task<SimilarProductsResult> ByImageIdAsync(
        string category, string imageId, SimilarityQuery request, CancellationToken cancellationToken, AnswerCondition? condition = null) =>
        TracedAsync("by_id", category, () => FindByImageIdAsync(category, imageId, request, condition ?? AnswerCondition.None, cancellationToken));

    /// <summary>Extracts the photo's vector; a bad photo throws <see cref="Imaging.ImageRejectedException"/>.</summary>
    public Task<SimilarProductsResult> ByImageAsync(string category, Stream image, SimilarityQuery request, CancellationToken cancellationToken) =>
        ByImageAsync(category, image, image.CanSeek ? image.Length - image.Position : null, request, cancellationToken);

    /// <summary>
    /// As above, for a body of <paramref name="length"/> bytes if known (Content-Length): a photo that is not admitted
    /// to a decoder within the short wait throws <see cref="DecodersBusyException"/> before its bytes are read.
    /// </summary>
    public Task<SimilarProductsResult> ByImageAsync(string category, Stream image, long? length, SimilarityQuery request, CancellationToken cancellationToken) =>
        TracedAsync("by_image", category, () => FindByImageAsync(category, image, length, request, cancellationToken));

    private async Task<SimilarProductsResult> TracedAsync(string kind, string category, Func<Task<SimilarProductsResult>> query)
    {
        using var activity = ProductSearchTelemetry.Source.StartActivity("SimilarProducts");
        activity?.SetTag(ProductSearchTelemetry.Attributes.QueryKind, kind);
        activity?.SetTag(ProductSearchTelemetry.Attributes.Category, category);
        var started = _time.GetTimestamp();
        var result = await query();
        var kindTag = new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.QueryKind, kind);
        ProductSearchTelemetry.QueryDuration.Record(_time.GetElapsedTime(started).TotalSeconds, kindTag);
        if (result.Products is { } products)
        {
            ProductSearchTelemetry.QueryVectorsSearched.Record(products.Searched, kindTag);
            activity?.SetTag(ProductSearchTelemetry.Attributes.Vectors, products.Searched);
        }

        return result;
    }

    private async Task<SimilarProductsResult> FindByImageIdAsync(
        string category, string imageId, SimilarityQuery request, AnswerCondition condition, CancellationToken cancellationToken)
    {
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        // The tag is of the version the answer is read at, so a change landing meanwhile is never hidden behind an old tag.
        var answer = index.Answer(
            QuerySubject.Indexed(imageId), request, _expander, version => condition.Holds(_tags.ForSimilar(version, imageId, request, condition.Links)));
        if (answer is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownImage);
        }

        var tag = _tags.ForSimilar(answer.Version, imageId, request, condition.Links);
        return answer.Unchanged ? SimilarProductsResult.Unchanged(tag) : SimilarProductsResult.Found(Products(index, answer, request), tag);
    }

    private async Task<SimilarProductsResult> FindByImageAsync(
        string category, Stream image, long? length, SimilarityQuery request, CancellationToken cancellationToken)
    {
        // On a cold worker the sessions are still being created (begun at start-up): load the category meanwhile.
        _extractor.Begin();
        var index = await _cache.GetAsync(category, cancellationToken);
        if (index is null)
        {
            return SimilarProductsResult.Failed(SearchFailure.UnknownCategory);
        }

        var extractor = await _extractor.GetAsync(cancellationToken);
        ImageFeatures features;
        using (await _admission.EnterAsync(length, cancellationToken))
        {
            features = await extractor.ExtractFeaturesAsync(image, cancellationToken);
        }

        var answer = index.Answer(QuerySubject.Photo(index.QueryOf(features.Vector, features.Colour)), request, _expander)!;
        return SimilarProductsResult.Found(Products(index, answer, request));
    }

    private SimilarProducts Products(CategoryIndex index, CategoryAnswer answer, SimilarityQuery request)
    {
        if (answer.ColourWeight != request.ColourWeight)
        {
            _logger.LogDebug("Answered {Category} shape only: {WithoutColour} images have no colour yet (run backfill)", index.Category, index.WithoutColour);
        }

        return new SimilarProducts(
            index.Category,
            index.ModelId,
            answer.Searched,
            answer.Results.Select(r => new SimilarProduct(
                r.Image.ImageId, r.Image.ProductId, r.Distance, r.Image.ImageUrl, r.ShapeDistance <= _nearDuplicateDistance, r.Tile.ImageId, r.Tile.Thumbnail,
                r.Product)).ToList(),
            answer.ColourWeight)
        {
            Warnings = [.. answer.UnknownFilterKeys.Select(key =>
                $"No product in '{index.Category}' has the label '{key}', so the filter matches nothing.")],
        };
    }
}
