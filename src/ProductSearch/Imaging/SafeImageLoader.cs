using System.Buffers;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Imaging;

/// <summary>
/// Where untrusted bytes become pixels, inside the decoder process (<c>ProductSearch.Decoding.DecoderHost</c>): format
/// sniffing against an allow-list, a walk of the file's structure by the format's own rules, declared size checked
/// with Identify, a check that the bytes are all there, then a decode on a configuration that only knows the allowed
/// formats and caps every allocation. The process it runs in bounds its time and memory; every decoder call gets the
/// token so a caller in this process can stop it too.
/// Failure policy: whatever goes wrong reading bytes already in memory is a property of the bytes (a
/// <see cref="ImageRejectedException"/>, never retried), whichever exception the decoder threw.
/// </summary>
internal sealed class SafeImageLoader
{
    // Formats we can recognise, so that a known-but-refused format gets 415 rather than "not an image".
    private static readonly Configuration Sniffer = Configuration.Default;

    private readonly ImageLimits _limits;
    private readonly Configuration _decoding;

    public SafeImageLoader(IOptions<ImageLimits> limits)
    {
        _limits = limits.Value;
        _decoding = CreateDecodingConfiguration(_limits);
    }

    /// <summary>Returns the decoder's pooled buffers to the system.</summary>
    public void ReleaseRetainedMemory() => _decoding.MemoryAllocator.ReleaseRetainedResources();

    /// <summary>Reads (bounded), checks and decodes; returns an upright RGBA image the caller disposes.</summary>
    public async Task<Image<Rgba32>> LoadAsync(Stream source, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBoundedAsync(source, _limits.MaxBytes, cancellationToken);
        try
        {
            return Decode(buffer.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Checks and decodes bytes already in memory; returns an upright RGBA image the caller disposes.</summary>
    public Image<Rgba32> Decode(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > _limits.MaxBytes)
        {
            throw new ImageRejectedException(ImageRejectionReason.TooLarge, $"The image is larger than the limit of {_limits.MaxBytes} bytes.");
        }

        if (bytes.IsEmpty)
        {
            throw new ImageRejectedException(ImageRejectionReason.Empty, "The image is empty (0 bytes).");
        }

        try
        {
            using var stream = AsStream(bytes);
            var format = DetectAllowedFormat(stream);
            ImageCompleteness.EnsureComplete(format, bytes.Span);
            var structure = ImageStructure.Check(format, bytes.Span, _limits);
            CheckDeclaredSize(format, stream, cancellationToken);
            // The format's decoder straight on the bytes already in memory: Image.Load would copy them into a stream
            // of its own and sniff the format again. The token reaches the decoder, which looks at it between rows.
            var decoder = _decoding.ImageFormatsManager.FindDecoder(format)
                ?? throw new ImageRejectedException(ImageRejectionReason.UnsupportedFormat, $"No decoder for {format.Name} is allowed.");
            var image = decoder.Decode<Rgba32>(_decoding, stream, cancellationToken);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                ImageCompleteness.EnsureFullyDecoded(format, image);
                if (structure.PngExif is { } exif)
                {
                    // The PNG decoder skips metadata (its text chunks inflate without bound); EXIF orientation still counts.
                    image.Metadata.ExifProfile = new ExifProfile(exif);
                }

                // Phones store pixels sideways and set an EXIF flag; shoppers see the upright photo.
                image.Mutate(x => x.AutoOrient());
                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
        catch (OutOfMemoryException e)
        {
            // The decoder process's memory limit (or a length the checks missed): the bytes ask for more than may be spent.
            throw new ImageRejectedException(
                ImageRejectionReason.DecoderOutOfMemory, "Decoding the image needed more memory than an image may use.", e);
        }
        catch (NotSupportedException e)
        {
            // A valid variant the decoder does not implement (a colour transform, a coding it lacks).
            throw new ImageRejectedException(
                ImageRejectionReason.UnsupportedFormat, "The image uses a variant of its format that cannot be decoded here; save it as a baseline JPEG, PNG or WebP.", e);
        }
        catch (Exception e) when (e is not ImageRejectedException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Classified by where it happened, not by type: NullReferenceException or IndexOutOfRangeException from a
            // malformed stream are these bytes' fault. The type name is for the logs (the inner exception), not the shop.
            throw new ImageRejectedException(ImageRejectionReason.Corrupt, $"The image could not be decoded: {e.Message}", e);
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var array)
            ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    /// <summary>Reads at most <paramref name="maxBytes"/> so a huge body is refused as it streams.</summary>
    internal static async Task<(byte[] Buffer, int Length)> ReadBoundedAsync(
        Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var capacity = source.CanSeek ? (int)Math.Min(Math.Max(source.Length - source.Position, 0) + 1, maxBytes + 1) : 256 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 4096));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // Never ask for more than one byte past the limit: the pool hands out larger arrays than
                // requested, and one read into all of it would pull the rest of an oversized body.
                var wanted = (int)Math.Min(buffer.Length - length, maxBytes + 1 - length);
                var read = await source.ReadAsync(buffer.AsMemory(length, wanted), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw new ImageRejectedException(
                        ImageRejectionReason.TooLarge, $"The image is larger than the limit of {maxBytes} bytes.");
                }
            }

            if (length == 0)
            {
                throw new ImageRejectedException(ImageRejectionReason.Empty, "The image is empty (0 bytes).");
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private IImageFormat DetectAllowedFormat(MemoryStream bytes)
    {
        var format = Image.DetectFormat(Sniffer, bytes);
        bytes.Position = 0;
        if (format is null)
        {
            throw new ImageRejectedException(ImageRejectionReason.NotAnImage, "The bytes are not an image in any known format.");
        }

        if (_decoding.ImageFormatsManager.FindFormatByMimeType(format.DefaultMimeType) is null)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.UnsupportedFormat,
                $"Format '{format.Name}' is not allowed; allowed: {string.Join(", ", _limits.DecodedFormats())}.");
        }

        return format;
    }

    private void CheckDeclaredSize(IImageFormat format, MemoryStream bytes, CancellationToken cancellationToken)
    {
        // The format's own detector with the token: Image.Identify takes none, so a limit could end only the wait.
        var detector = _decoding.ImageFormatsManager.FindDecoder(format) as IImageInfoDetector;
        var info = detector?.Identify(_decoding, bytes, cancellationToken);
        bytes.Position = 0;
        if (info is null)
        {
            throw new ImageRejectedException(ImageRejectionReason.Corrupt, "The image header could not be read.");
        }

        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageRejectedException(ImageRejectionReason.Corrupt, $"The image declares an empty size {info.Width}x{info.Height}.");
        }

        if (info.Width > _limits.MaxSide || info.Height > _limits.MaxSide
            || (long)info.Width * info.Height > _limits.MaxPixels)
        {
            throw new ImageRejectedException(
                ImageRejectionReason.TooManyPixels,
                $"The image declares {info.Width}x{info.Height} pixels; the limits are {_limits.MaxPixels} pixels and {_limits.MaxSide} per side.");
        }
    }

    private static Configuration CreateDecodingConfiguration(ImageLimits limits)
    {
        var modules = new List<IConfigurationModule>();
        foreach (var name in limits.DecodedFormats().Select(f => f.Trim().ToUpperInvariant()).Distinct())
        {
            modules.Add(name switch
            {
                "JPEG" or "JPG" => new JpegConfigurationModule(),
                "PNG" => new PngConfigurationModule(),
                "WEBP" => new WebpConfigurationModule(),
                "GIF" => new GifConfigurationModule(),
                _ => throw new ArgumentException($"Image format '{name}' is not supported; choose from jpeg, png, webp, gif."),
            });
        }

        var configuration = new Configuration(modules.ToArray())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                // Bounded pools: a burst of large images cannot make the process hoard memory.
                MaximumPoolSizeMegabytes = 64,
                // Second line behind Identify: no single buffer may exceed an allowed image's RGBA pixels
                // (plus half for decoder working buffers), whatever a header the checks missed claims.
                AllocationLimitMegabytes = (int)Math.Max(16, limits.MaxPixels * 4 * 3 / 2 / (1024 * 1024)),
            }),
        };
        if (configuration.ImageFormatsManager.FindDecoder(PngFormat.Instance) is not null)
        {
            configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        }

        return configuration;
    }
}
