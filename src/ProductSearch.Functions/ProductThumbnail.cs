using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using ProductSearch.Functions.Http;
using ProductSearch.Imaging;
using ProductSearch.Storage;

namespace ProductSearch.Functions;

/// <summary>
/// A product thumbnail, read from the private thumbnails container with the app's identity. Anonymous, because an
/// <c>&lt;img&gt;</c> sends no key; a name changes whenever its photo does, so a browser or CDN keeps it for a year.
/// </summary>
public sealed class ProductThumbnail(ThumbnailStore thumbnails)
{
    public const string RoutePrefix = "thumbnails/";
    public const string Route = RoutePrefix + "{name}";

    [Function(nameof(ProductThumbnail))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        // Only names the indexer could have written are looked up, so no path, however crafted, reaches anything else.
        if (!ThumbnailStore.IsValidName(name) || await thumbnails.OpenReadAsync(name, cancellationToken) is not var (content, _))
        {
            return ApiProblems.NotFound($"There is no thumbnail '{name}'.");
        }

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.XContentTypeOptions = "nosniff";
        return new FileStreamResult(content, ThumbnailEncoding.ContentType) { EntityTag = new EntityTagHeaderValue(ThumbnailStore.ETagOf(name)) };
    }
}
