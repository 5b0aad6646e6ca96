using System.Text.Json.Nodes;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>A resource declared somewhere in the compiled template, with the scope to evaluate it in.</summary>
internal sealed record TemplateResource(JsonObject Node, TemplateScope Scope)
{
    public string Type => (string)Node["type"]!;

    /// <summary>Resources declared <c>existing</c> are only looked up, never deployed.</summary>
    public bool IsExisting => Node["existing"]?.GetValue<bool>() == true;

    /// <summary>How many copies a loop produces (1 without a loop), when that is known offline.</summary>
    public int CopyCount => Node["copy"] is JsonObject copy
        ? Evaluate(copy["count"]) is KnownValue { Node: JsonValue count } ? count.GetValue<int>() : throw new InvalidOperationException($"Loop count of {Type} is not known offline.")
        : 1;

    public ArmValue Evaluate(JsonNode? node, int? copyIndex = null) => ArmExpression.Evaluate(node, Scope, copyIndex);

    /// <summary>Evaluates a property path such as "properties.functionAppConfig.runtime.name".</summary>
    public ArmValue Evaluate(string path, int? copyIndex = null)
    {
        JsonNode? node = Node;
        foreach (var segment in path.Split('.'))
        {
            node = node?[segment];
        }

        return Evaluate(node, copyIndex);
    }
}
