using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Imaging;

namespace ProductSearch.Functions.Http;

/// <summary>RFC 9457 problem bodies: every refusal says what was wrong, never a 500 for bad input.</summary>
internal static class ApiProblems
{
    public static ObjectResult Create(int status, string title, string detail) =>
        new(new ProblemDetails { Status = status, Title = title, Detail = detail })
        {
            StatusCode = status,
            ContentTypes = { "application/problem+json" },
        };

    public static ObjectResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ObjectResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static ObjectResult Rejected(ImageRejectedException e) => e.Reason switch
    {
        ImageRejectionReason.TooLarge => Create(StatusCodes.Status413PayloadTooLarge, "Image too large", e.Message),
        ImageRejectionReason.UnsupportedFormat => Create(StatusCodes.Status415UnsupportedMediaType, "Image format not allowed", e.Message),
        _ => Create(StatusCodes.Status400BadRequest, "Unusable image", e.Message),
    };
}
