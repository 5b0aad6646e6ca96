using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>Untrusted image bytes in; the pixels the model sees out (decoded, upright, trimmed and resized to its input).</summary>
public interface IPhotoDecoder
{
    /// <summary>Throws <see cref="Imaging.ImageRejectedException"/> for bytes that will never make an image.</summary>
    Task<Image<Rgba32>> DecodeFittedAsync(Stream source, CancellationToken cancellationToken);
}
