using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;

namespace ProductSearch.Storage;

/// <summary>
/// The thumbnails container. A thumbnail's name is <c>&lt;image key&gt;-&lt;content hash&gt;.jpg</c>, lower-case hex: the
/// image key (a hash of category and image id) finds every thumbnail of an image, and the content hash changes whenever
/// the photo does, so a name is never reused for other bytes and can be served as immutable. Names carry nothing of the
/// shop's own names, so no path, however crafted, is ever a thumbnail name.
/// </summary>
public sealed partial class ThumbnailStore
{
    private readonly ThumbnailOptions _options;
    private readonly CreatedOnce _created;

    public ThumbnailStore(BlobServiceClient service, IOptions<ThumbnailOptions> options)
    {
        _options = options.Value;
        Container = service.GetBlobContainerClient(_options.Container);
        _created = new CreatedOnce(() => Container.CreateIfNotExistsAsync());
    }

    public BlobContainerClient Container { get; }

    /// <summary>What the indexer asks the decoder for; null when thumbnails are off.</summary>
    public ThumbnailEncoding? Encoding => _options.Encoding;

    /// <summary>True for a name this store could have written, and nothing else.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>The name of a thumbnail of an image: its image key, then a hash of its bytes.</summary>
    public static string NameOf(string category, string imageId, ReadOnlySpan<byte> thumbnail) =>
        $"{ImageKeyOf(category, imageId)}-{Convert.ToHexStringLower(SHA256.HashData(thumbnail))[..16]}{ThumbnailEncoding.Extension}";

    /// <summary>The entity tag a thumbnail is served with: its content hash, which its name already holds.</summary>
    public static string ETagOf(string name) => $"\"{name[33..49]}\"";

    /// <summary>Writes a thumbnail (the same bytes always under the same name, so a retry overwrites nothing new); returns its name.</summary>
    public async Task<string> WriteAsync(string category, string imageId, byte[] thumbnail, CancellationToken cancellationToken)
    {
        var name = NameOf(category, imageId, thumbnail);
        await EnsureCreatedAsync();
        await Container.GetBlobClient(name).UploadAsync(
            new BinaryData(thumbnail),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ThumbnailEncoding.ContentType } },
            cancellationToken);
        return name;
    }

    /// <summary>Deletes one thumbnail, if it is there.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await Container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing to delete.
        }
    }

    /// <summary>Deletes every thumbnail of an image (a write that lost a race may have left one beside the row's); returns how many.</summary>
    public async Task<int> DeleteAllAsync(string category, string imageId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        try
        {
            await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, ImageKeyOf(category, imageId) + "-", cancellationToken))
            {
                if ((await Container.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value)
                {
                    deleted++;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing to delete.
        }

        return deleted;
    }

    /// <summary>A thumbnail's bytes as a stream, with its length; null when there is no such thumbnail.</summary>
    public async Task<(Stream Content, long Length)?> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return null;
        }

        try
        {
            var download = await Container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return (download.Value.Content, download.Value.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Creates the container once per process (private: shared keys and public access stay off); a failure is retried on the next call.</summary>
    private Task EnsureCreatedAsync() => _created.EnsureAsync();

    private static string ImageKeyOf(string category, string imageId) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{category}/{imageId}")))[..32];

    [GeneratedRegex("^[0-9a-f]{32}-[0-9a-f]{16}\\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
