using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>
/// One decoder process, seen from the app: started and warmed up, fed one image at a time over its standard input,
/// watched while it works (processor time, wall time and, where the OS does not bound it, memory), killed at a limit.
/// Any failure leaves it <see cref="Fit"/> false, and the pool replaces it.
/// </summary>
internal sealed class DecoderProcess : IDisposable
{
    private const int StandardErrorLines = 20;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Queue<string> _standardError = new();
    private readonly TimeProvider _time;
    private readonly DecoderLimits _limits;
    private readonly byte[] _header = new byte[9];
    private string? _killedFor;

    private DecoderProcess(Process process, TimeProvider time, DecoderLimits limits)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _time = time;
        _limits = limits;
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (_standardError)
            {
                _standardError.Enqueue(line.Data);
                if (_standardError.Count > StandardErrorLines)
                {
                    _standardError.Dequeue();
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>False once anything went wrong: the pool then replaces the process.</summary>
    public bool Fit { get; private set; } = true;

    /// <summary>The last lines the process wrote to its standard error (a crash's own report).</summary>
    public string StandardError
    {
        get
        {
            lock (_standardError)
            {
                return string.Join(" | ", _standardError);
            }
        }
    }

    public static async Task<DecoderProcess> StartAsync(
        DecoderOptions options, DecoderSettings settings, DecoderLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(options.EffectiveAssembly);
        // A crash is an answer, not a diagnosis to write to disk.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_EnableCrashReport"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_TieredCompilation"] = options.TieredCompilation ? "1" : "0";
        // The managed heap is told its share, so the GC collects before the OS limit refuses it memory.
        start.Environment["DOTNET_GCHeapHardLimit"] = (settings.MemoryLimitBytes * 3 / 4).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the image decoder {options.EffectiveAssembly}.");
        ProcessLimits.LowerPriority(process.Id, options.Niceness);
        var decoder = new DecoderProcess(process, time, limits);
        try
        {
            await DecoderProtocol.WriteSettingsAsync(decoder._input, settings, cancellationToken);
            var ready = new byte[1];
            var read = await decoder._output.ReadAtLeastAsync(ready, 1, throwOnEndOfStream: false, cancellationToken)
                .AsTask().WaitAsync(limits.Start, time, cancellationToken);
            if (read != 1 || ready[0] != DecoderProtocol.Ready)
            {
                throw new InvalidOperationException($"The image decoder {options.EffectiveAssembly} did not start: {decoder.StandardError}");
            }

            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes one image: fitted to <paramref name="fitted"/> (width, height), or whole (at most <paramref name="maxPixels"/>)
    /// when it is null; with a thumbnail of the same decode when <paramref name="thumbnail"/> is given (fitted only).
    /// </summary>
    public async Task<DecodedPhoto> DecodeAsync(
        ReadOnlyMemory<byte> bytes, (int Width, int Height)? fitted, long maxPixels, CancellationToken cancellationToken, ThumbnailEncoding? thumbnail = null)
    {
        var started = _time.GetTimestamp();
        var cpuBefore = ProcessorTime();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = ReadAnswerAsync(bytes, fitted, maxPixels, thumbnail, stop.Token);
        try
        {
            while (!answer.IsCompleted)
            {
                await Task.WhenAny(answer, Task.Delay(_limits.SamplingInterval, _time, stop.Token));
                if (answer.IsCompleted)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var cpu = ProcessorTime() - cpuBefore;
                if (cpu > _limits.ProcessorTime)
                {
                    Kill($"Decoding the image needed more than {_limits.ProcessorTime.TotalSeconds:0.#} s of processor time.");
                }
                else if (_time.GetElapsedTime(started) > _limits.WallTime)
                {
                    Kill($"Decoding the image did not finish within {_limits.WallTime.TotalSeconds:0.#} s (it had used {cpu.TotalSeconds:0.#} s of processor time).");
                }
                else if (!ProcessLimits.Supported && PrivateMemory() > _limits.MemoryBytes)
                {
                    Kill("Decoding the image needed more memory than an image may use.");
                }
            }

            return await answer;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (shutdown, a client gone): the decode cannot be interrupted, so the process goes.
            Kill(null);
            throw;
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or ObjectDisposedException)
        {
            // The pipe broke or the answer made no sense: the process died or misbehaved.
            throw await DeathAsync(e);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    public void Dispose()
    {
        Kill(null);
        _process.Dispose();
    }

    private async Task<DecodedPhoto> ReadAnswerAsync(
        ReadOnlyMemory<byte> bytes, (int Width, int Height)? fitted, long maxPixels, ThumbnailEncoding? thumbnail, CancellationToken cancellationToken)
    {
        await DecoderProtocol.WriteImageAsync(
            _input, fitted is null ? DecoderProtocol.Whole : DecoderProtocol.Fitted, bytes, cancellationToken, fitted is null ? null : thumbnail);
        await _output.ReadExactlyAsync(_header.AsMemory(0, 1), cancellationToken);
        if (_header[0] == DecoderProtocol.Refused)
        {
            var (reason, message, _, healthy) = await DecoderProtocol.ReadRefusalAsync(_output, cancellationToken);
            Fit = healthy;
            throw new ImageRejectedException(reason, message);
        }

        if (_header[0] != DecoderProtocol.Pixels)
        {
            throw new InvalidDataException($"The decoder answered with 0x{_header[0]:X2}.");
        }

        await _output.ReadExactlyAsync(_header.AsMemory(1, 8), cancellationToken);
        var (width, height) = (BinaryPrimitives.ReadInt32LittleEndian(_header.AsSpan(1)), BinaryPrimitives.ReadInt32LittleEndian(_header.AsSpan(5)));
        if (fitted is { } size ? (width, height) != size : width <= 0 || height <= 0 || (long)width * height > maxPixels)
        {
            throw new InvalidDataException($"The decoder answered {width}x{height} pixels.");
        }

        var length = width * height * 4;
        var pixels = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _output.ReadExactlyAsync(pixels.AsMemory(0, length), cancellationToken);
            var jpeg = thumbnail is not null && fitted is not null ? await DecoderProtocol.ReadThumbnailAsync(_output, cancellationToken) : null;
            return new DecodedPhoto(Image.LoadPixelData<Rgba32>(pixels.AsSpan(0, length), width, height), jpeg);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    // Why the process ended, as a refusal: the limit it was killed for, the OS's processor-time signal, or a crash.
    private async Task<Exception> DeathAsync(Exception broken)
    {
        Kill(null);
        using var wait = new CancellationTokenSource(_limits.Start);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return new InvalidOperationException($"The image decoder {Id} stopped answering and did not exit.", broken);
        }

        var exitCode = _process.ExitCode;
        if (_killedFor is { } reason)
        {
            var outOfMemory = reason.Contains("memory", StringComparison.Ordinal);
            return new ImageRejectedException(outOfMemory ? ImageRejectionReason.DecoderOutOfMemory : ImageRejectionReason.DecodeTimeout, reason, broken);
        }

        if (exitCode == ProcessLimits.ProcessorTimeExitCode)
        {
            return new ImageRejectedException(
                ImageRejectionReason.DecodeTimeout, $"Decoding the image needed more than {_limits.ProcessorTime.TotalSeconds:0.#} s of processor time.", broken);
        }

        var error = StandardError;
        if (error.Contains("OutOfMemory", StringComparison.Ordinal) || error.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
        {
            return new ImageRejectedException(ImageRejectionReason.DecoderOutOfMemory, "Decoding the image needed more memory than an image may use.", broken);
        }

        return new ImageRejectedException(
            ImageRejectionReason.DecoderCrashed,
            "The image decoder crashed on this file; it will not be tried again.",
            new DecoderExitedException($"Decoder process {Id} exited with code {exitCode}: {error}", broken));
    }

    private long PrivateMemory()
    {
        try
        {
            _process.Refresh();
            return _process.PrivateMemorySize64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private TimeSpan ProcessorTime()
    {
        try
        {
            return _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero; // Already exited: the read of its answer says how.
        }
    }

    private void Kill(string? reason)
    {
        _killedFor ??= reason;
        Fit = false;
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

/// <summary>How a decoder process ended, for the logs: its exit code and its last words on standard error.</summary>
internal sealed class DecoderExitedException(string message, Exception inner) : Exception(message, inner);
