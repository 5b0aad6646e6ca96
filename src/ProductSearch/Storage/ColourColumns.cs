namespace ProductSearch.Storage;

/// <summary>
/// The colour descriptor a model declares: its version id and length. A loaded row is the CNN vector followed by
/// <see cref="Dimension"/> colour values; a row whose colour is missing or of another id gets zeros there.
/// </summary>
public readonly record struct ColourColumns(string Id, int Dimension);
