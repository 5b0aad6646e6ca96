using System.Security.Cryptography;

namespace ProductSearch.ModelBuilding;

/// <summary>MD5 of a file, as published for the Keras weights (integrity only, not security).</summary>
public static class Md5Checksum
{
    public static async Task<string> ComputeAsync(string filePath, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(filePath);
#pragma warning disable CA5351 // MD5 is what the publisher states; it guards against corruption, not tampering.
        var hash = await MD5.HashDataAsync(stream, cancellationToken);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    public static async Task VerifyAsync(string filePath, string expectedMd5, CancellationToken cancellationToken, Uri? downloadedFrom = null)
    {
        if (!IsWellFormed(expectedMd5))
        {
            throw new ArgumentException($"'{expectedMd5}' is not an MD5 hash (32 hexadecimal digits).", nameof(expectedMd5));
        }

        var actual = await ComputeAsync(filePath, cancellationToken);
        if (!string.Equals(actual, expectedMd5, StringComparison.OrdinalIgnoreCase))
        {
            throw new ChecksumMismatchException(filePath, expectedMd5.ToLowerInvariant(), actual, downloadedFrom);
        }
    }

    public static bool IsWellFormed(string? md5) =>
        md5 is { Length: 32 } && md5.All(char.IsAsciiHexDigit);
}
