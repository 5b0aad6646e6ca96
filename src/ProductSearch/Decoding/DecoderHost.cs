using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Decoding;

/// <summary>
/// The decoder process's whole life (its Main is one call to <see cref="Run(Stream, Stream)"/>): read the settings,
/// bound its own memory, warm up, then answer one image at a time until the app closes its input. Every image gets
/// its processor-time limit from the moment it arrives; a refusal says whether the process is still fit to decode
/// (a managed exception from inside the decoder may have left its state damaged, so the app replaces the process).
/// </summary>
public static class DecoderHost
{
    /// <summary>Serves images from <paramref name="input"/> to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(Stream input, Stream output) => Run(input, output, inspect: null);

    /// <summary>
    /// As <see cref="Run(Stream, Stream)"/>, with <paramref name="inspect"/> seeing each image's bytes before the decode:
    /// the tests' crashing decoder uses it to misbehave on a marker file.
    /// </summary>
    public static int Run(Stream input, Stream output, Action<ReadOnlyMemory<byte>>? inspect)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        // An answer leaves in a few large writes, not one per row: each write to a pipe can wake the app.
        output = new BufferedStream(output, 256 * 1024);
        var settings = DecoderProtocol.ReadSettings(input);
        ProcessLimits.LimitMemory(settings.MemoryLimitBytes);
        var decoder = new InProcessPhotoDecoder(settings.Limits, settings.Input);
        WarmUp(decoder);
        output.WriteByte(DecoderProtocol.Ready);
        output.Flush();

        var maxFrame = (int)Math.Min(settings.Limits.MaxBytes + 1, int.MaxValue);
        using var self = Process.GetCurrentProcess();
        while (DecoderProtocol.ReadFrame(input, maxFrame) is { Length: > 0 } request)
        {
            self.Refresh();
            ProcessLimits.LimitProcessorTimeFromNow(self.TotalProcessorTime, settings.Limits.DecodeTimeout);
            var thumbnail = request[0] == DecoderProtocol.Thumbnailed
                ? DecoderProtocol.ReadThumbnailParameters(request.AsSpan(1, DecoderProtocol.ThumbnailParametersLength))
                : null;
            var bytes = request.AsMemory(thumbnail is null ? 1 : 1 + DecoderProtocol.ThumbnailParametersLength);
            inspect?.Invoke(bytes);
            if (!Answer(decoder, bytes, fit: request[0] != DecoderProtocol.Whole, thumbnail, output))
            {
                return 1;
            }

            decoder.ReleaseMemoryIfLarge();
        }

        return 0;
    }

    // Returns whether the process stays fit to decode.
    private static bool Answer(InProcessPhotoDecoder decoder, ReadOnlyMemory<byte> bytes, bool fit, ThumbnailEncoding? thumbnail, Stream output)
    {
        Image<Rgba32> image;
        byte[]? jpeg = null;
        try
        {
            image = thumbnail is not null ? decoder.DecodeWithThumbnail(bytes, thumbnail, out jpeg, CancellationToken.None)
                : fit ? decoder.Decode(bytes, CancellationToken.None)
                : decoder.DecodeWhole(bytes, CancellationToken.None);
        }
        catch (ImageRejectedException e)
        {
            // Our own checks refuse cleanly; an exception from inside the decoder (an inner one) or a memory limit may
            // have left pooled buffers or static state damaged.
            var healthy = e.InnerException is null || e.InnerException is SixLabors.ImageSharp.ImageFormatException;
            var detail = e.InnerException is { } inner ? $"{inner.GetType().FullName}: {inner.Message}" : "";
            DecoderProtocol.WriteRefusal(output, e.Reason, e.Message, detail, healthy);
            return healthy;
        }

        using (image)
        {
            Span<byte> header = stackalloc byte[9];
            header[0] = DecoderProtocol.Pixels;
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], image.Width);
            BinaryPrimitives.WriteInt32LittleEndian(header[5..], image.Height);
            output.Write(header);
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    output.Write(MemoryMarshal.AsBytes(rows.GetRowSpan(y)));
                }
            });
            if (jpeg is not null)
            {
                DecoderProtocol.WriteThumbnail(output, jpeg);
            }

            output.Flush();
        }

        return true;
    }

    private static readonly ThumbnailEncoding WarmUpThumbnail = new(48, 80);

    // The first decode of each format compiles its decoder (and the thumbnail's resize and JPEG encoder); done here, before the process says it is ready, so no
    // shopper's photo pays for it.
    private static void WarmUp(InProcessPhotoDecoder decoder)
    {
        using var sample = new Image<Rgba32>(96, 64);
        sample.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(x * 2), (byte)(y * 3), (byte)(x + y), 255);
                }
            }
        });
        foreach (var encode in new Action<Image, Stream>[]
        {
            (i, s) => i.SaveAsJpeg(s),
            (i, s) => i.SaveAsPng(s),
            (i, s) => i.SaveAsWebp(s, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }),
            (i, s) => i.SaveAsWebp(s, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
        })
        {
            using var bytes = new MemoryStream();
            encode(sample, bytes);
            try
            {
                decoder.Decode(bytes.ToArray(), CancellationToken.None).Dispose();
                decoder.DecodeWhole(bytes.ToArray(), CancellationToken.None).Dispose();
                decoder.DecodeWithThumbnail(bytes.ToArray(), WarmUpThumbnail, out _, CancellationToken.None).Dispose();
            }
            catch (ImageRejectedException)
            {
                // A format the shop's allow-list leaves out.
            }
        }
    }
}
