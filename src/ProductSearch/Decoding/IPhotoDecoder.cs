using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>Untrusted image bytes in; the pixels the model sees out (decoded, upright, trimmed and resized to its input).</summary>
public interface IPhotoDecoder
{
    /// <summary>Throws <see cref="Imaging.ImageRejectedException"/> for bytes that will never make an image.</summary>
    Task<Image<Rgba32>> DecodeFittedAsync(Stream source, CancellationToken cancellationToken);

    /// <summary>As <see cref="DecodeFittedAsync"/>, with a thumbnail of the same decode (for the indexer: one decode, not two).</summary>
    Task<DecodedPhoto> DecodeFittedWithThumbnailAsync(Stream source, ThumbnailEncoding thumbnail, CancellationToken cancellationToken);
}

/// <summary>What a decode yields: the pixels (fitted or whole) and, when asked for, a JPEG thumbnail of the same decode.</summary>
public sealed record DecodedPhoto(Image<Rgba32> Pixels, byte[]? Thumbnail) : IDisposable
{
    public void Dispose() => Pixels.Dispose();
}
