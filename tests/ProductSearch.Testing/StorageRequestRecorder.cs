using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using ProductSearch.Storage;

namespace ProductSearch.Testing;

/// <summary>
/// Records, inside a <see cref="Record"/> scope only, the Azure RBAC permission each storage request the app's
/// clients send would need in Azure (per the Storage REST operation to permission tables), so a test can compare
/// what the code really does with <see cref="StorageOperations.Catalogue"/>. Requests it cannot classify are kept
/// as "unmapped: ..." so they fail the comparison instead of passing unseen.
/// </summary>
public sealed partial class StorageRequestRecorder
{
    private static readonly AsyncLocal<bool> Recording = new();
    private readonly ConcurrentDictionary<string, string> _permissions = new(StringComparer.Ordinal);

    /// <summary>Permission, and one request that needed it (method and path), for the failure message.</summary>
    public IReadOnlyDictionary<string, string> Permissions => _permissions;

    public HttpPipelinePolicy Blobs => new Policy(this, ClassifyBlob);

    public HttpPipelinePolicy Tables => new Policy(this, ClassifyTable);

    /// <summary>Requests sent from this async flow until the scope is disposed are recorded.</summary>
    public static IDisposable Record()
    {
        Recording.Value = true;
        return new Scope();
    }

    private static IEnumerable<string> ClassifyBlob(Request request)
    {
        var (query, segments) = Parse(request);
        var onContainer = segments.Length == 2 && query.Contains("restype=container", StringComparison.Ordinal);
        return (request.Method.Method, onContainer, segments.Length) switch
        {
            ("GET" or "HEAD", true, _) when query.Contains("comp=list", StringComparison.Ordinal) => [StoragePermissions.BlobRead],
            ("PUT", true, _) when !query.Contains("comp=", StringComparison.Ordinal) => [StoragePermissions.ContainerCreate],
            ("GET" or "HEAD", false, > 2) when !query.Contains("comp=", StringComparison.Ordinal) => [StoragePermissions.BlobRead],
            ("DELETE", false, > 2) => [StoragePermissions.BlobDelete],
            ("PUT", false, > 2) when !query.Contains("comp=", StringComparison.Ordinal) => [StoragePermissions.BlobWrite],
            _ => [Unmapped(request)],
        };
    }

    private static IEnumerable<string> ClassifyTable(Request request)
    {
        var (_, segments) = Parse(request);
        var resource = segments.Length == 2 ? segments[1] : "";
        if (resource == "$batch")
        {
            return BatchOperations(request).Select(operation => EntityPermission(operation.Method, operation.Resource, operation.IfMatch) ?? Unmapped(request));
        }

        if (resource.StartsWith("Tables", StringComparison.Ordinal))
        {
            return [request.Method == RequestMethod.Post ? StoragePermissions.TableCreate : Unmapped(request)];
        }

        return [EntityPermission(request.Method.Method, resource, request.Headers.Contains("If-Match")) ?? Unmapped(request)];
    }

    private static string? EntityPermission(string method, string resource, bool ifMatch)
    {
        var addressesEntity = resource.EndsWith(')') && !resource.EndsWith("()", StringComparison.Ordinal);
        return (method, addressesEntity) switch
        {
            ("GET", _) => StoragePermissions.EntityRead,
            ("POST", false) => StoragePermissions.EntityInsert,
            ("PUT" or "MERGE" or "PATCH", true) => ifMatch ? StoragePermissions.EntityUpdate : StoragePermissions.EntityUpsert,
            ("DELETE", true) => StoragePermissions.EntityDelete,
            _ => null,
        };
    }

    // An entity-group transaction is one POST whose multipart body holds one HTTP request per entity.
    private static IEnumerable<(string Method, string Resource, bool IfMatch)> BatchOperations(Request request)
    {
        using var body = new MemoryStream();
        request.Content!.WriteTo(body, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        foreach (Match part in BatchPart().Matches(text))
        {
            var resource = new Uri(part.Groups["url"].Value).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
            yield return (part.Groups["method"].Value, Uri.UnescapeDataString(resource), part.Groups["headers"].Value.Contains("If-Match:", StringComparison.OrdinalIgnoreCase));
        }
    }

    private static (string Query, string[] Segments) Parse(Request request)
    {
        var uri = request.Uri.ToUri();
        // Azurite addresses the account in the path (/devstoreaccount1/...); Azure in the host name.
        var segments = Uri.UnescapeDataString(uri.AbsolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (uri.Query, segments.Length > 0 && segments[0] == "devstoreaccount1" ? segments : ["account", .. segments]);
    }

    private static string Unmapped(Request request) => $"unmapped: {request.Method} {request.Uri.ToUri().PathAndQuery}";

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|MERGE|PATCH|DELETE) (?<url>\S+) HTTP/1\.1\r?\n(?<headers>(?:[^\r\n]+\r?\n)*)", RegexOptions.Multiline)]
    private static partial Regex BatchPart();

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Recording.Value = false;
    }

    private sealed class Policy(StorageRequestRecorder recorder, Func<Request, IEnumerable<string>> classify) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (!Recording.Value)
            {
                return;
            }

            foreach (var permission in classify(message.Request))
            {
                recorder._permissions.TryAdd(permission, $"{message.Request.Method} {message.Request.Uri.ToUri().AbsolutePath}");
            }
        }
    }
}
