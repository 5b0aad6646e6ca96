using System.Text.Json.Nodes;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>
/// One template in the compiled output: the root, or a module's nested template together
/// with the parameter values its parent deployment passes in. <paramref name="Arguments"/>, on the root only, are the
/// values a deployment would pass main.bicep; without them root parameters stay opaque.
/// </summary>
internal sealed record TemplateScope(JsonObject Template, string Path, JsonObject? PassedParameters, TemplateScope? Parent, JsonObject? Arguments = null)
{
    public TemplateScope Root => Parent?.Root ?? this;

    public JsonObject Variables => Template["variables"] as JsonObject ?? [];

    public JsonObject Parameters => Template["parameters"] as JsonObject ?? [];

    public JsonObject Outputs => Template["outputs"] as JsonObject ?? [];
}
