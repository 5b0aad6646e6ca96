using System.ComponentModel.DataAnnotations;
using ProductSearch.Imaging;

namespace ProductSearch.Storage;

/// <summary>The small pictures the indexer writes beside each vector for storefront tiles. Section <c>Thumbnails</c>.</summary>
public sealed class ThumbnailOptions : IValidatableObject
{
    public const string Section = "Thumbnails";

    /// <summary>False: the indexer writes none and answers carry <c>thumbnailUrl: null</c> (a shop serving its own pictures).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The long side in pixels; smaller photos keep their size.</summary>
    [Range(ThumbnailEncoding.MinLongSide, ThumbnailEncoding.MaxLongSide)]
    public int LongSide { get; set; } = 320;

    /// <summary>JPEG quality, 1 to 100.</summary>
    [Range(1, 100)]
    public int Quality { get; set; } = 80;

    /// <summary>Private blob container of the thumbnails, created on first use; the app serves them with its own identity.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Thumbnails:Container must be a valid blob container name.")]
    public string Container { get; set; } = "product-thumbnails";

    /// <summary>
    /// Where answers point for thumbnails, e.g. a CDN in front of the app's <c>/api/thumbnails</c> route: an absolute
    /// http(s) URL to which a thumbnail's name is appended. Empty: the app's own route, from the request's scheme and host.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>What the decoder is asked for; null when thumbnails are off.</summary>
    public ThumbnailEncoding? Encoding => Enabled ? new ThumbnailEncoding(LongSide, Quality) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return new ValidationResult("Thumbnails:BaseUrl must be an absolute http or https URL without a query.", [nameof(BaseUrl)]);
        }
    }
}
