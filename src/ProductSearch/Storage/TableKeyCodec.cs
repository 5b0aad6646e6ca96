using System.Text;

namespace ProductSearch.Storage;

/// <summary>
/// Reversible, table-safe keys for categories and image names. Table keys forbid / \ # ? and control
/// characters; we also escape '%' (our escape), '~' (reserved so change-log rows sort after every image)
/// and non-ASCII (so every image key stays below '~'). Readable ASCII names stay readable.
/// </summary>
internal static class TableKeyCodec
{
    /// <summary>Table keys hold at most 1 KiB.</summary>
    public const int MaxKeyLength = 1024;

    public static string Encode(string value) =>
        TryEncode(value, out var key)
            ? key
            : throw new ArgumentException($"'{value[..Math.Min(value.Length, 64)]}...' is too long for a table key once encoded ({key.Length} > {MaxKeyLength}).", nameof(value));

    /// <summary>Encodes <paramref name="value"/>; false when the key would exceed <see cref="MaxKeyLength"/>.</summary>
    public static bool TryEncode(string value, out string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsSafe(c))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        key = builder.ToString();
        return key.Length <= MaxKeyLength;
    }

    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var bytes = new List<byte>(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && Uri.IsHexDigit(key[i + 1]) && Uri.IsHexDigit(key[i + 2]))
            {
                bytes.Add(Convert.ToByte(key.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(key[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsSafe(char c) =>
        c is >= ' ' and < '~' and not ('/' or '\\' or '#' or '?' or '%');
}
