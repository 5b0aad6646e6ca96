using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>
/// The app's only way from untrusted bytes to pixels: a pool of pre-started decoder processes
/// (<see cref="DecoderHost"/>), one image at a time each. The bytes are read here (bounded) before a decoder is taken,
/// so a slow upload holds none; the pixels come back fitted to the model's input. A decoder that crashes, hits a
/// limit or refuses from inside its decoder is replaced, and the image is refused with its own reason; the caller's
/// process never runs the decoder. The pool's size is how many decodes run at once; callers beyond it wait in order.
/// </summary>
public sealed class IsolatedPhotoDecoder : IPhotoDecoder, IDisposable
{
    private readonly DecoderOptions _options;
    private readonly DecoderSettings _settings;
    private readonly DecoderLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<IsolatedPhotoDecoder> _logger;
    private readonly Channel<Slot> _idle = Channel.CreateUnbounded<Slot>();
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _disposed = new();
    private int _disposedOnce;

    /// <param name="input">The model's input, which the decoders fit every image to.</param>
    public IsolatedPhotoDecoder(
        ModelInput input, IOptions<ImageLimits> limits, IOptions<DecoderOptions> options, TimeProvider time, ILogger<IsolatedPhotoDecoder> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var memory = _options.MemoryLimitMegabytes * 1024L * 1024;
        _settings = new DecoderSettings(limits.Value, input, memory);
        _limits = new DecoderLimits(limits.Value.DecodeTimeout, _options.WallTimeout, memory);
        _slots = [.. Enumerable.Range(0, _options.EffectiveProcesses).Select(_ => new Slot())];
        foreach (var slot in _slots)
        {
            slot.Process = StartAsync();
            _idle.Writer.TryWrite(slot);
        }
    }

    /// <summary>A pool with the default limits, for tools that decode files outside the app's service graph; the caller disposes it.</summary>
    public static IsolatedPhotoDecoder CreateStandalone(ModelInput input) =>
        new(input, Options.Create(new ImageLimits()), Options.Create(new DecoderOptions()), TimeProvider.System, NullLogger<IsolatedPhotoDecoder>.Instance);

    /// <summary>How many decodes run at once.</summary>
    public int Size => _slots.Length;

    public async Task<Image<Rgba32>> DecodeFittedAsync(Stream source, CancellationToken cancellationToken) =>
        (await DecodeAsync(source, (_settings.Input.Width, _settings.Input.Height), null, cancellationToken)).Pixels;

    public Task<DecodedPhoto> DecodeFittedWithThumbnailAsync(Stream source, ThumbnailEncoding thumbnail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thumbnail);
        thumbnail.Validate();
        return DecodeAsync(source, (_settings.Input.Width, _settings.Input.Height), thumbnail, cancellationToken);
    }

    /// <summary>The decoded, upright image at its own size, for tools that need the photo itself rather than the model's input.</summary>
    public async Task<Image<Rgba32>> DecodeWholeAsync(Stream source, CancellationToken cancellationToken) =>
        (await DecodeAsync(source, null, null, cancellationToken)).Pixels;

    private async Task<DecodedPhoto> DecodeAsync(Stream source, (int, int)? fitted, ThumbnailEncoding? thumbnail, CancellationToken cancellationToken)
    {
        var (buffer, length) = await SafeImageLoader.ReadBoundedAsync(source, _settings.Limits.MaxBytes, cancellationToken);
        try
        {
            var slot = await _idle.Reader.ReadAsync(cancellationToken);
            try
            {
                return await DecodeAsync(slot, buffer.AsMemory(0, length), fitted, thumbnail, cancellationToken);
            }
            finally
            {
                _idle.Writer.TryWrite(slot);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        // Registered under two service types, so disposed twice.
        if (Interlocked.Exchange(ref _disposedOnce, 1) == 1)
        {
            return;
        }

        _disposed.Cancel();
        foreach (var slot in _slots)
        {
            if (slot.Process is { IsCompletedSuccessfully: true } started)
            {
                started.Result.Dispose();
            }
            else
            {
                slot.Process?.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
    }

    private async Task<DecodedPhoto> DecodeAsync(
        Slot slot, ReadOnlyMemory<byte> bytes, (int, int)? fitted, ThumbnailEncoding? thumbnail, CancellationToken cancellationToken)
    {
        if (slot.Process is not { IsFaulted: false, IsCanceled: false })
        {
            slot.Process = StartAsync(); // The last start failed: try once more for this caller, who gets its error if it fails again.
        }

        var process = await slot.Process.WaitAsync(cancellationToken);
        try
        {
            return await process.DecodeAsync(bytes, fitted, _settings.Limits.MaxPixels, cancellationToken, thumbnail);
        }
        catch (ImageRejectedException e) when (e.Reason is ImageRejectionReason.DecoderCrashed or ImageRejectionReason.DecodeTimeout or ImageRejectionReason.DecoderOutOfMemory)
        {
            _logger.LogWarning(
                e.InnerException, "Decoder process {ProcessId} refused an image ({Reason}): {Message} Replacing it", process.Id, e.Reason, e.Message);
            throw;
        }
        finally
        {
            if (!process.Fit)
            {
                process.Dispose();
                slot.Process = StartAsync();
            }
        }
    }

    private Task<DecoderProcess> StartAsync()
    {
        var start = Task.Run(() => DecoderProcess.StartAsync(_options, _settings, _limits, _time, _disposed.Token));
        start.ContinueWith(
            t => _logger.LogError(t.Exception, "Starting an image decoder process failed"),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return start;
    }

    private sealed class Slot
    {
        public Task<DecoderProcess>? Process { get; set; }
    }
}
