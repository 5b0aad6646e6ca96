using System.Text.Json.Serialization;
using ProductSearch.Products;

namespace ProductSearch.Functions.Http;

/// <summary>
/// What a product card shows beside the photo: each member left out when unset; null as a whole when the product has no
/// attributes, so a client renders its photo-only tile.
/// </summary>
public sealed record ProductCard(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Price,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Labels)
{
    internal static ProductCard? From(ProductAttributes? attributes) =>
        attributes is null || attributes.IsEmpty
            ? null
            : new ProductCard(attributes.Title, attributes.Url, attributes.Price, attributes.Currency, attributes.Labels.Count == 0 ? null : attributes.Labels);
}
