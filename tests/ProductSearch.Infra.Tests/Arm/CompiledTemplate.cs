using System.Text.Json.Nodes;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>The ARM JSON that <c>bicep build</c> produced, with module templates nested inside.</summary>
internal sealed class CompiledTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    /// <param name="arguments">Values for main's parameters, as a deployment passes them: then names built from them
    /// evaluate, with <c>uniqueString</c> standing in as 13 lowercase characters (ARM's length and alphabet).</param>
    public CompiledTemplate(string json, JsonObject? arguments = null)
    {
        Json = json;
        Root = new TemplateScope(JsonNode.Parse(json)!.AsObject(), "main", null, null, arguments);
        Scopes = EnumerateScopes(Root).ToList();
        Resources = Scopes.SelectMany(ResourcesOf).ToList();
    }

    public string Json { get; }

    public TemplateScope Root { get; }

    public IReadOnlyList<TemplateScope> Scopes { get; }

    /// <summary>Every resource in the root template and in every module, module deployments excluded.</summary>
    public IReadOnlyList<TemplateResource> Resources { get; }

    public IEnumerable<TemplateResource> OfType(string type) => Resources
        .Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Resources this template deploys (as opposed to looks up) of one type.</summary>
    public IReadOnlyList<TemplateResource> Deployed(string type) => OfType(type)
        .Where(resource => !resource.IsExisting)
        .ToList();

    private static IEnumerable<TemplateScope> EnumerateScopes(TemplateScope scope)
    {
        yield return scope;
        foreach (var deployment in RawResources(scope.Template).Where(node => (string?)node["type"] == DeploymentType))
        {
            var properties = deployment["properties"]!.AsObject();
            var nested = new TemplateScope(
                properties["template"]!.AsObject(),
                $"{scope.Path}/{deployment["name"]}",
                properties["parameters"] as JsonObject,
                scope);
            foreach (var inner in EnumerateScopes(nested))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<TemplateResource> ResourcesOf(TemplateScope scope) => RawResources(scope.Template)
        .Where(node => (string?)node["type"] != DeploymentType)
        .Select(node => new TemplateResource(node, scope));

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name.
    private static IEnumerable<JsonObject> RawResources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };
}
