using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Indexing;
using ProductSearch.Products;

namespace ProductSearch.Functions.Http;

/// <summary>
/// The body of <c>PUT .../attributes</c>: the same members as an answer's <c>product</c>. A member the rules do not know is
/// refused rather than ignored, so a misspelt <c>titel</c> is a 400, not a silently missing title.
/// </summary>
internal sealed record ProductAttributesBody(string? Title, string? Url, string? Price, string? Currency, Dictionary<string, string>? Labels)
{
    // Far above 32 labels of 140 characters and the longest fields; a bigger body is not attributes.
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads the body, or says what is wrong with it (a problem answer).</summary>
    public static async Task<(ProductAttributes? Attributes, IActionResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, ApiProblems.BadRequest($"The body must be a JSON object of at most {MaxBodyBytes} bytes."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<ProductAttributesBody>(request.Body, Options, cancellationToken);
            return body is null
                ? (null, ApiProblems.BadRequest("The body must be a JSON object: { \"title\", \"url\", \"price\", \"currency\", \"labels\": { key: value } }."))
                : (new ProductAttributes { Title = body.Title, Url = body.Url, Price = body.Price, Currency = body.Currency, Labels = body.Labels ?? [] }, null);
        }
        catch (JsonException e)
        {
            return (null, ApiProblems.BadRequest($"The body is not product attributes ({e.Message}): a JSON object with \"title\", \"url\", \"price\" and \"currency\" as strings and \"labels\" an object of strings."));
        }
    }

    /// <summary>The route's product id, decoded as image ids are ('%2F' arrives as is), or a problem answer.</summary>
    public static IActionResult? ReadProductId(string routeValue, out string productId)
    {
        productId = Uri.UnescapeDataString(routeValue);
        return ProductAttributeWriter.IsValidProductId(productId)
            ? null
            : ApiProblems.BadRequest("Product id must be non-empty, without control characters, and fit a table key once escaped.");
    }

    /// <summary>Every broken rule, in the detail and one by one in <c>errors</c>.</summary>
    public static ObjectResult Refused(IReadOnlyList<string> problems) =>
        ApiProblems.BadRequest($"The attributes break {problems.Count} rule{(problems.Count == 1 ? "" : "s")}: {string.Join(" ", problems)}", problems);
}
