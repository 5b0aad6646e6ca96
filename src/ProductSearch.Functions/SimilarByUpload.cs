using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ProductSearch.Decoding;
using ProductSearch.Functions.Http;
using ProductSearch.Imaging;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>More like an uploaded photo: the body is the image bytes. Public, as a storefront page calls it; never cached.</summary>
public sealed class SimilarByUpload(
    SimilarProductSearch search, IOptions<SearchOptions> options, IOptions<ImageLimits> limits, IOptions<ThumbnailOptions> thumbnails)
{
    public const string Route = "categories/{category}/similar";

    [Function(nameof(SimilarByUpload))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Route)] HttpRequest request,
        string category,
        CancellationToken cancellationToken)
    {
        AnswerCaching.NoStore(request);
        if (SimilarQueryBinding.Validate(request, category, options.Value, out var query) is { } invalid)
        {
            return invalid;
        }

        if (request.ContentLength > limits.Value.MaxBytes)
        {
            return ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "Image too large", $"The body is larger than the limit of {limits.Value.MaxBytes} bytes.");
        }

        try
        {
            var result = await search.ByImageAsync(category, request.Body, request.ContentLength, query, cancellationToken);
            return SimilarQueryBinding.ToResult(result, ThumbnailLinks.For(request, thumbnails.Value), category);
        }
        catch (DecodersBusyException e)
        {
            return ApiProblems.Busy(e);
        }
        catch (ImageRejectedException e)
        {
            return ApiProblems.Rejected(e);
        }
    }
}
