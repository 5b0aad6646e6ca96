namespace ProductSearch.Storage;

/// <summary>A row of a category's change log: at <paramref name="Ticks"/> (writer's UTC clock) the image was written or deleted.</summary>
public sealed record ChangeLogEntry(string RowKey, long Ticks, string ImageId);
