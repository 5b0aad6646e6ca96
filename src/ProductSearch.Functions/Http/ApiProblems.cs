using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Decoding;
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

    /// <summary>A 400 whose <c>errors</c> lists each thing wrong, one sentence each, beside the detail that joins them.</summary>
    public static ObjectResult BadRequest(string detail, IReadOnlyList<string> errors)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Detail = detail };
        problem.Extensions["errors"] = errors;
        return new ObjectResult(problem) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
    }

    public static ObjectResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>Shed, not refused: the photo is fine and the client should send it again after Retry-After.</summary>
    public static ObjectResult Busy(DecodersBusyException e) =>
        new RetryAfterResult(new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Busy", Detail = e.Message }, e.RetryAfter)
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            ContentTypes = { "application/problem+json" },
        };

    public static ObjectResult Rejected(ImageRejectedException e) => e.Reason switch
    {
        ImageRejectionReason.TooLarge => Create(StatusCodes.Status413PayloadTooLarge, "Image too large", e.Message),
        ImageRejectionReason.UnsupportedFormat => Create(StatusCodes.Status415UnsupportedMediaType, "Image format not allowed", e.Message),
        _ => Create(StatusCodes.Status400BadRequest, "Unusable image", e.Message),
    };
}

/// <summary>A problem answer with a <c>Retry-After</c> header, in whole seconds.</summary>
internal sealed class RetryAfterResult(object value, TimeSpan retryAfter) : ObjectResult(value)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public override void OnFormatting(ActionContext context)
    {
        base.OnFormatting(context);
        context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
