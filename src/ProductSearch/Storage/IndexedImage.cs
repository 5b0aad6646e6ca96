namespace ProductSearch.Storage;

/// <summary>What a search result says about a row of a category's matrix.</summary>
/// <param name="HasColour">The row holds a colour descriptor of the model's current version (false: zeros stand in for it).</param>
/// <param name="BlobETag">The blob version the row's vector was extracted from, so a change of photo changes the category's version.</param>
/// <param name="Thumbnail">The name of the image's thumbnail (<see cref="ThumbnailStore"/>), or null when it has none yet.</param>
public sealed record IndexedImage(
    string ImageId, string ProductId, string ImageUrl, bool HasColour = false, string BlobETag = "", string? Thumbnail = null);
