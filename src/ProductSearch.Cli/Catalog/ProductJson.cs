using ProductSearch.Products;

namespace ProductSearch.Cli.Catalog;

/// <summary>A product's attributes as the HTTP API's <c>product</c> (openapi.json, ProductCard): unset members left out, null when none.</summary>
internal static class ProductJson
{
    public static Dictionary<string, object>? Of(ProductAttributes? attributes)
    {
        if (attributes is null || attributes.IsEmpty)
        {
            return null;
        }

        var card = new Dictionary<string, object>(StringComparer.Ordinal);
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                card[name] = value;
            }
        }

        Add("title", attributes.Title);
        Add("url", attributes.Url);
        Add("price", attributes.Price);
        Add("currency", attributes.Currency);
        Add("labels", attributes.Labels.Count == 0 ? null : attributes.Labels);
        return card;
    }
}
