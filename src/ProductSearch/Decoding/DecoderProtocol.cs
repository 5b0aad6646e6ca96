using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ProductSearch.Imaging;

namespace ProductSearch.Decoding;

/// <summary>What the app tells a decoder process once, when it starts.</summary>
internal sealed record DecoderSettings(ImageLimits Limits, ModelInput Input, long MemoryLimitBytes);

/// <summary>
/// Frames on the decoder's standard input and output, little-endian. In: the settings once (length, JSON), then per
/// image its length, what is wanted (<see cref="Fitted"/>, <see cref="Whole"/>, or <see cref="Thumbnailed"/> followed by the
/// thumbnail's long side and quality) and its bytes. Out: <see cref="Ready"/> once warmed up, then per image either
/// <see cref="Pixels"/> with width, height and RGBA bytes (after them, for <see cref="Thumbnailed"/>, the thumbnail's
/// length and JPEG bytes), or <see cref="Refused"/> with the reason, a shop-facing message, a detail for the logs and
/// whether the process is still fit to decode.
/// </summary>
internal static class DecoderProtocol
{
    public const byte Ready = (byte)'R';
    public const byte Pixels = (byte)'P';
    public const byte Refused = (byte)'X';

    /// <summary>Asks for the image fitted to the model's input.</summary>
    public const byte Fitted = (byte)'F';

    /// <summary>Asks for the decoded, upright image at its own size.</summary>
    public const byte Whole = (byte)'W';

    /// <summary>Asks for the image fitted to the model's input and, from the same decode, a thumbnail.</summary>
    public const byte Thumbnailed = (byte)'T';

    /// <summary>After <see cref="Thumbnailed"/>: the long side (uint16) and the JPEG quality (a byte).</summary>
    public const int ThumbnailParametersLength = 3;

    // A thumbnail is a few tens of KiB; an answer far beyond that is not one.
    private const int MaxThumbnailBytes = 8 * 1024 * 1024;

    // A refusal's texts are the decoder's own sentences; anything longer is not one.
    private const int MaxTextBytes = 16 * 1024;

    public static async Task WriteSettingsAsync(Stream output, DecoderSettings settings, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(settings);
        await WriteFrameAsync(output, json, cancellationToken);
    }

    public static DecoderSettings ReadSettings(Stream input) =>
        JsonSerializer.Deserialize<DecoderSettings>(ReadFrame(input, int.MaxValue) ?? throw new EndOfStreamException("No settings."))
        ?? throw new InvalidDataException("Empty settings.");

    private static async Task WriteFrameAsync(Stream output, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        await output.WriteAsync(header, cancellationToken);
        await output.WriteAsync(payload, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// An image request: its length (with the kind byte and any thumbnail parameters), the kind, the thumbnail's long
    /// side and quality when <paramref name="thumbnail"/> is given (kind <see cref="Thumbnailed"/>), the bytes.
    /// </summary>
    public static async Task WriteImageAsync(
        Stream output, byte kind, ReadOnlyMemory<byte> image, CancellationToken cancellationToken, ThumbnailEncoding? thumbnail = null)
    {
        var parameters = thumbnail is null ? 0 : ThumbnailParametersLength;
        var header = new byte[5 + parameters];
        BinaryPrimitives.WriteInt32LittleEndian(header, image.Length + 1 + parameters);
        header[4] = thumbnail is null ? kind : Thumbnailed;
        if (thumbnail is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), checked((ushort)thumbnail.LongSide));
            header[7] = checked((byte)thumbnail.Quality);
        }

        await output.WriteAsync(header, cancellationToken);
        await output.WriteAsync(image, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one frame; null at the end of the stream (the app closed it: time to exit).</summary>
    public static byte[]? ReadFrame(Stream input, int maxLength)
    {
        Span<byte> header = stackalloc byte[4];
        if (input.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0 || length > maxLength)
        {
            throw new InvalidDataException($"A frame of {length} bytes is over the limit of {maxLength}.");
        }

        var payload = new byte[length];
        input.ReadExactly(payload);
        return payload;
    }

    /// <summary>The thumbnail a <see cref="Thumbnailed"/> request asks for (its bytes after the kind).</summary>
    public static ThumbnailEncoding ReadThumbnailParameters(ReadOnlySpan<byte> parameters)
    {
        var encoding = new ThumbnailEncoding(BinaryPrimitives.ReadUInt16LittleEndian(parameters), parameters[2]);
        encoding.Validate();
        return encoding;
    }

    /// <summary>A thumbnail after the pixels of its answer: its length, then its JPEG bytes.</summary>
    public static void WriteThumbnail(Stream output, byte[] thumbnail)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, thumbnail.Length);
        output.Write(length);
        output.Write(thumbnail);
    }

    public static async Task<byte[]> ReadThumbnailAsync(Stream input, CancellationToken cancellationToken)
    {
        var length = await ReadInt32Async(input, cancellationToken);
        if (length is <= 0 or > MaxThumbnailBytes)
        {
            throw new InvalidDataException($"A thumbnail of {length} bytes.");
        }

        var bytes = new byte[length];
        await input.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    public static void WriteRefusal(Stream output, ImageRejectionReason reason, string message, string detail, bool healthy)
    {
        var text = Encoding.UTF8.GetBytes(Clip(message));
        var log = Encoding.UTF8.GetBytes(Clip(detail));
        var frame = new byte[1 + 4 + 4 + text.Length + 4 + log.Length + 1];
        frame[0] = Refused;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), (int)reason);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), text.Length);
        text.CopyTo(frame, 9);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(9 + text.Length), log.Length);
        log.CopyTo(frame, 13 + text.Length);
        frame[^1] = healthy ? (byte)1 : (byte)0;
        output.Write(frame);
        output.Flush();
    }

    public static async Task<(ImageRejectionReason Reason, string Message, string Detail, bool Healthy)> ReadRefusalAsync(
        Stream input, CancellationToken cancellationToken)
    {
        var reason = (ImageRejectionReason)await ReadInt32Async(input, cancellationToken);
        if (!Enum.IsDefined(reason))
        {
            throw new InvalidDataException($"Unknown refusal reason {(int)reason}.");
        }

        var message = await ReadTextAsync(input, cancellationToken);
        var detail = await ReadTextAsync(input, cancellationToken);
        var healthy = new byte[1];
        await input.ReadExactlyAsync(healthy, cancellationToken);
        return (reason, message, detail, healthy[0] == 1);
    }

    public static async Task<int> ReadInt32Async(Stream input, CancellationToken cancellationToken)
    {
        var bytes = new byte[4];
        await input.ReadExactlyAsync(bytes, cancellationToken);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    private static async Task<string> ReadTextAsync(Stream input, CancellationToken cancellationToken)
    {
        var length = await ReadInt32Async(input, cancellationToken);
        if (length is < 0 or > MaxTextBytes)
        {
            throw new InvalidDataException($"A refusal text of {length} bytes.");
        }

        var bytes = new byte[length];
        await input.ReadExactlyAsync(bytes, cancellationToken);
        return Encoding.UTF8.GetString(bytes);
    }

    private static string Clip(string text) => text.Length <= MaxTextBytes / 4 ? text : text[..(MaxTextBytes / 4)];
}
