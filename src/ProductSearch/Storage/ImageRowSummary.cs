namespace ProductSearch.Storage;

/// <summary>An image row without its vector: the model that described the image and the attributes refused from its metadata.</summary>
public sealed record ImageRowSummary(string ImageId, string? ModelId, IReadOnlyList<string> RefusedAttributes);
