using System.Text.Json;
using Azure.Data.Tables;
using ProductSearch.Products;

namespace ProductSearch.Storage;

/// <summary>
/// Maps a product's attributes to its row: one property per display field and the labels as one JSON object (32 labels
/// of at most 140 characters fit one string property many times over, and a row read is one property to decode).
/// </summary>
internal static class ProductEntityCodec
{
    public const string ProductIdProperty = "ProductId";
    public const string LabelsProperty = "Labels";

    public static TableEntity ToEntity(string partition, string rowKey, string productId, ProductAttributes attributes)
    {
        var entity = new TableEntity(partition, rowKey) { [ProductIdProperty] = productId };
        Set(entity, nameof(ProductAttributes.Title), attributes.Title);
        Set(entity, nameof(ProductAttributes.Url), attributes.Url);
        Set(entity, nameof(ProductAttributes.Price), attributes.Price);
        Set(entity, nameof(ProductAttributes.Currency), attributes.Currency);
        if (attributes.Labels.Count > 0)
        {
            entity[LabelsProperty] = JsonSerializer.Serialize(attributes.Labels);
        }

        return entity;
    }

    public static (string ProductId, ProductAttributes Attributes) FromEntity(TableEntity entity)
    {
        var labels = entity.GetString(LabelsProperty) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];
        return (
            entity.GetString(ProductIdProperty) ?? "",
            new ProductAttributes
            {
                Labels = labels,
                Title = entity.GetString(nameof(ProductAttributes.Title)),
                Url = entity.GetString(nameof(ProductAttributes.Url)),
                Price = entity.GetString(nameof(ProductAttributes.Price)),
                Currency = entity.GetString(nameof(ProductAttributes.Currency)),
            });
    }

    private static void Set(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}
