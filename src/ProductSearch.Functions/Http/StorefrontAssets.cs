using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace ProductSearch.Functions.Http;

/// <summary>The storefront's files, embedded as resources named <c>Storefront/&lt;file&gt;</c> (see the project file).</summary>
internal static class StorefrontAssets
{
    public const string IndexPage = "index.html";

    /// <summary>The script a shop pastes into its own pages, from any origin.</summary>
    public const string Widget = "similar-products.js";

    private const string ResourcePrefix = "Storefront/";

    private static readonly FrozenDictionary<string, StorefrontAsset> Assets = Load();

    public static IEnumerable<string> Names => Assets.Keys;

    public static StorefrontAsset? Find(string name) => Assets.GetValueOrDefault(name);

    private static FrozenDictionary<string, StorefrontAsset> Load()
    {
        var assembly = typeof(StorefrontAssets).Assembly;
        var assets = new Dictionary<string, StorefrontAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var content = Read(assembly, resource);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            assets[name] = new StorefrontAsset(content, ContentTypeOf(name), etag, name == Widget);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

internal sealed record StorefrontAsset(byte[] Content, string ContentType, string ETag, bool IsWidget);
