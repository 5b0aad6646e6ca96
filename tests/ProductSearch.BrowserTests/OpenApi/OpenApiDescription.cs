using System.Text.Json.Nodes;

namespace ProductSearch.BrowserTests.OpenApi;

/// <summary>The repository's OpenAPI 3 file, read as plain JSON: operations, responses, and <c>$ref</c>s resolved.</summary>
public sealed class OpenApiDescription
{
    private readonly JsonObject _root;

    private OpenApiDescription(JsonObject root) => _root = root;

    public static OpenApiDescription Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} is not a JSON object."));

    /// <summary>Every operation as (METHOD, path template relative to the server, e.g. "/categories/{category}/products").</summary>
    public IEnumerable<(string Method, string Path)> Operations =>
        _root["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(op => (op.Key.ToUpperInvariant(), path.Key)));

    public JsonObject? Operation(string method, string path) =>
        _root["paths"]?[path]?[method.ToLowerInvariant()]?.AsObject();

    /// <summary>The documented statuses of an operation, as strings ("200", "404").</summary>
    public IEnumerable<string> Statuses(string method, string path) =>
        Operation(method, path)?["responses"]?.AsObject().Select(r => r.Key) ?? [];

    public JsonObject? Response(string method, string path, int status) =>
        Operation(method, path)?["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is { } response
            ? Resolve(response).AsObject()
            : null;

    /// <summary>Follows a local <c>$ref</c> ("#/components/schemas/X") to what it names.</summary>
    public JsonNode Resolve(JsonNode node)
    {
        while (node is JsonObject o && o["$ref"] is { } reference)
        {
            var target = (JsonNode?)_root;
            foreach (var part in ((string)reference!).TrimStart('#', '/').Split('/'))
            {
                target = target?[part];
            }

            node = target ?? throw new InvalidDataException($"Unresolved $ref {reference}.");
        }

        return node;
    }
}
