namespace ProductSearch.Functions.Http;

/// <summary>A product's attributes as now stored: <c>product</c> as answers carry it (null when none).</summary>
public sealed record ProductAttributesResponse(string Category, string ProductId, ProductCard? Product);
