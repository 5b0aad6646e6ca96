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
