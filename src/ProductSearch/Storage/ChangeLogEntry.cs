namespace ProductSearch.Storage;

/// <summary>
/// A row of a category's change log: at <paramref name="Ticks"/> (writer's UTC clock) the image was written or deleted,
/// or, when <paramref name="ProductId"/> is set, that product's attributes were.
/// </summary>
internal sealed record ChangeLogEntry(string RowKey, long Ticks, string ImageId, string? ProductId = null)
{
    /// <summary>The entry is of a product's attributes, not of an image.</summary>
    public bool IsProduct => ProductId is not null;
}
