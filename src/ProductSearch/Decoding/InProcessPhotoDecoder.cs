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
    private const long LargeHeapBytes = 64L * 1024 * 1024;

    private readonly long _maxBytes;

    public InProcessPhotoDecoder(ImageLimits limits, ModelInput input)
    {
        _loader = new SafeImageLoader(Options.Create(limits));
        _fit = new ImagePreprocessor(input);
        _maxBytes = limits.MaxBytes;
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
    /// high-water mark of the largest image it ever saw. Costs a full collection only when the heap grew past it.
    /// </summary>
    public void ReleaseMemoryIfLarge()
    {
        if (GC.GetGCMemoryInfo().HeapSizeBytes > LargeHeapBytes)
        {
            _loader.ReleaseRetainedMemory();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>The decoded, upright image at its own size.</summary>
    public Image<Rgba32> DecodeWhole(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => _loader.Decode(bytes, cancellationToken);

    public Image<Rgba32> Decode(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var image = _loader.Decode(bytes, cancellationToken);
        try
        {
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
