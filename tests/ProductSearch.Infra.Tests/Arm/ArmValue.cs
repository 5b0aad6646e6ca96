using System.Globalization;
using System.Text.Json.Nodes;

namespace ProductSearch.Infra.Tests.Arm;

/// <summary>
/// Result of evaluating a template value offline: either a JSON value, or the text of an
/// expression that only Azure can evaluate (reference(), listKeys(), uniqueString()...).
/// </summary>
internal abstract record ArmValue
{
    /// <summary>The value as it would read inside a string, opaque parts shown as &lt;&lt;expression&gt;&gt;.</summary>
    public abstract string Text { get; }

    public string? AsString => this is KnownValue { Node: JsonValue value } && value.TryGetValue(out string? text) ? text : null;
}

internal sealed record KnownValue(JsonNode? Node) : ArmValue
{
    public override string Text => Node switch
    {
        null => "",
        JsonValue value when value.TryGetValue(out string? text) => text,
        JsonValue value when value.TryGetValue(out bool flag) => flag ? "true" : "false",
        JsonValue value => Convert.ToString(value.GetValue<object>(), CultureInfo.InvariantCulture) ?? "",
        _ => Node.ToJsonString(),
    };
}

internal sealed record OpaqueValue(string Expression) : ArmValue
{
    public override string Text => $"<<{Expression}>>";
}
