using System.Buffers;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>
/// The decode itself, in the calling process: what runs inside a decoder process (<see cref="DecoderHost"/>), and the
/// baseline the benchmarks measure the process boundary against. The app never runs it in its own process.
/// </summary>
internal sealed class InProcessPhotoDecoder : IPhotoDecoder
{
    private readonly SafeImageLoader _loader;
    private readonly ImagePreprocessor _fit;
    private const long LargePhotoPixels = 12_000_000;

    private readonly long _maxBytes;
    private long _largestSinceRelease;

    public InProcessPhotoDecoder(ImageLimits limits, ModelInput input)
    {
        _loader = new SafeImageLoader(Options.Create(limits));
        _fit = new ImagePreprocessor(input);
        _maxBytes = limits.MaxBytes;
    }

    private Image<Rgba32> Noted(Image<Rgba32> image)
    {
        var pixels = (long)image.Width * image.Height;
        if (pixels > Interlocked.Read(ref _largestSinceRelease))
        {
            Interlocked.Exchange(ref _largestSinceRelease, pixels);
        }

        return image;
    }

    public async Task<Image<Rgba32>> DecodeFittedAsync(Stream source, CancellationToken cancellationToken)
    {
        var (buffer, length) = await SafeImageLoader.ReadBoundedAsync(source, _maxBytes, cancellationToken);
        try
        {
            return Decode(buffer.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// After a large photo, gives its memory back to the system: an idle decoder should hold its baseline, not the
    /// high-water mark of the largest image it ever saw. A full collection costs milliseconds, so only after a photo
    /// far larger than a shop's usual ones; a collection after every photo slowed decoding measurably.
    /// </summary>
    public void ReleaseMemoryIfLarge()
    {
        if (Interlocked.Exchange(ref _largestSinceRelease, 0) > LargePhotoPixels)
        {
            _loader.ReleaseRetainedMemory();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>The decoded, upright image at its own size.</summary>
    public Image<Rgba32> DecodeWhole(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => Noted(_loader.Decode(bytes, cancellationToken));

    public async Task<DecodedPhoto> DecodeFittedWithThumbnailAsync(Stream source, ThumbnailEncoding thumbnail, CancellationToken cancellationToken)
    {
        var (buffer, length) = await SafeImageLoader.ReadBoundedAsync(source, _maxBytes, cancellationToken);
        try
        {
            var fitted = DecodeWithThumbnail(buffer.AsMemory(0, length), thumbnail, out var jpeg, cancellationToken);
            return new DecodedPhoto(fitted, jpeg);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Image<Rgba32> Decode(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => DecodeWithThumbnail(bytes, null, out _, cancellationToken);

    /// <summary>
    /// One decode, two outputs: the thumbnail from the whole upright photo (when <paramref name="thumbnail"/> is given),
    /// then the same image fitted in place to the model's input.
    /// </summary>
    public Image<Rgba32> DecodeWithThumbnail(ReadOnlyMemory<byte> bytes, ThumbnailEncoding? thumbnail, out byte[]? jpeg, CancellationToken cancellationToken)
    {
        var image = Noted(_loader.Decode(bytes, cancellationToken));
        try
        {
            jpeg = thumbnail is null ? null : ThumbnailEncoder.Encode(image, thumbnail);
            _fit.Fit(image);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}
