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
/// The one place where untrusted bytes become pixels, for the blob trigger and the HTTP upload alike:
/// bounded read, format sniffing against an allow-list, a walk of the file's structure, declared size
/// checked with Identify, a check that the bytes are all there, then a decode on a configuration that only
/// knows the allowed formats and caps every allocation, all of it within one time limit.
/// Failure policy: once the bytes are in memory, whatever goes wrong reading them is a property of the bytes
/// (a <see cref="ImageRejectedException"/>, never retried), whichever exception the decoder threw; only the
/// read from the source (storage, network) can fail transiently.
/// </summary>
public sealed class SafeImageLoader
{
    // Formats we can recognise, so that a known-but-refused format gets 415 rather than "not an image".
    private static readonly Configuration Sniffer = Configuration.Default;

    private readonly ImageLimits _limits;
    private readonly Configuration _decoding;
    private readonly TimeProvider _time;

    public SafeImageLoader(IOptions<ImageLimits> limits)
        : this(limits, TimeProvider.System)
    {
    }

    public SafeImageLoader(IOptions<ImageLimits> limits, TimeProvider time)
    {
        _limits = limits.Value;
        _decoding = CreateDecodingConfiguration(_limits);
        _time = time;
    }

    public ImageLimits Limits => _limits;

    /// <summary>Reads, checks and decodes; returns an upright RGBA image the caller disposes.</summary>
    public async Task<Image<Rgba32>> LoadAsync(Stream source, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBoundedAsync(source, _limits.MaxBytes, cancellationToken);
        return await DecodeWithinLimitAsync(buffer, length, cancellationToken);
    }

    /// <summary>
    /// Runs the checks and the decode on the thread pool and stops waiting at <see cref="ImageLimits.DecodeTimeout"/>:
    /// ImageSharp looks at its cancellation token only between rows, so a decoder stuck inside a structure would
    /// otherwise hold the invocation until the host's function timeout. A decode given up on is cancelled and
    /// stops at the decoder's next cancellation check (its allocations are capped); it owns the pooled buffer until then.
    /// </summary>
    private async Task<Image<Rgba32>> DecodeWithinLimitAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var abandoned = abandon.Token; // Taken now: the decode may outlive this method and its token source.
        var decode = Task.Run(
            async () =>
            {
                try
                {
                    return await DecodeBytesAsync(buffer, length, abandoned);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            },
            CancellationToken.None);
        try
        {
            var image = await decode.WaitAsync(_limits.DecodeTimeout, _time, cancellationToken);
            if (_time.GetElapsedTime(started) > _limits.DecodeTimeout)
            {
                // The timer's callback waits for a free pool thread, so on a saturated instance the decode can win the
                // race after its time is up: the limit is the elapsed time, whichever finished first (abandoning disposes it).
                throw new TimeoutException();
            }

            return image;
        }
        catch (TimeoutException)
        {
            await AbandonAsync(decode, abandon);
            throw new ImageRejectedException(
                ImageRejectionReason.DecodeTimeout, $"Checking and decoding the image took longer than {_limits.DecodeTimeout.TotalSeconds:0.#} s.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(decode, abandon);
            throw;
        }
    }

    private static async Task AbandonAsync(Task<Image<Rgba32>> decode, CancellationTokenSource abandon)
    {
        await abandon.CancelAsync();
        _ = decode.ContinueWith(
            t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    private async Task<Image<Rgba32>> DecodeBytesAsync(byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var bytes = new MemoryStream(buffer, 0, length, writable: false);
            var format = DetectAllowedFormat(bytes);
            ImageCompleteness.EnsureComplete(format, buffer.AsSpan(0, length));
            var structure = ImageStructure.Check(format, buffer.AsSpan(0, length), _limits);
            CheckDeclaredSize(bytes);
            // The format's decoder straight on the bytes already in memory: Image.LoadAsync would copy them into a stream
            // of its own and sniff the format again. The token reaches the decoder, so a decode given up on stops at its
            // next row instead of running to the end.
            var decoder = _decoding.ImageFormatsManager.FindDecoder(format)
                ?? throw new ImageRejectedException(ImageRejectionReason.UnsupportedFormat, $"No decoder for {format.Name} is allowed.");
            var image = decoder.Decode<Rgba32>(_decoding, bytes, cancellationToken);
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
        catch (Exception e) when (e is not ImageRejectedException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Classified by where it happened, not by type: OutOfMemoryException from a declared length,
            // NullReferenceException or IndexOutOfRangeException from a malformed stream are all these bytes' fault.
            throw new ImageRejectedException(ImageRejectionReason.Corrupt, $"The image could not be decoded: {e.GetType().Name}: {e.Message}", e);
        }
    }

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
                $"Format '{format.Name}' is not allowed; allowed: {string.Join(", ", _limits.AllowedFormats)}.");
        }

        return format;
    }

    private void CheckDeclaredSize(MemoryStream bytes)
    {
        var info = Image.Identify(_decoding, bytes);
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
        foreach (var name in limits.AllowedFormats.Select(f => f.Trim().ToUpperInvariant()).Distinct())
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
