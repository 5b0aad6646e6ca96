using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProductSearch.BrowserTests.OpenApi;

/// <summary>
/// Checks a JSON value against an OpenAPI 3.0 schema: type, required, properties, additionalProperties: false,
/// items, enum, minimum and maximum, nullable and $ref. That is every keyword the description uses for response
/// bodies; an unknown keyword fails the check rather than being skipped silently.
/// </summary>
public static class SchemaChecker
{
    private static readonly HashSet<string> Known =
    [
        "type", "required", "properties", "additionalProperties", "items", "enum", "minimum", "maximum",
        "nullable", "description", "format", "default", "minLength", "maxLength", "pattern", "$ref",
    ];

    public static List<string> Check(OpenApiDescription description, JsonNode schema, JsonElement value, string at = "$")
    {
        var errors = new List<string>();
        Check(description, schema, value, at, errors);
        return errors;
    }

    private static void Check(OpenApiDescription description, JsonNode schemaNode, JsonElement value, string at, List<string> errors)
    {
        var schema = description.Resolve(schemaNode).AsObject();
        foreach (var keyword in schema.Select(k => k.Key).Where(k => !Known.Contains(k)))
        {
            errors.Add($"{at}: the checker does not know schema keyword '{keyword}'");
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                errors.Add($"{at}: null where the schema does not allow it");
            }

            return;
        }

        var type = (string?)schema["type"];
        if (type is not null && !HasType(value, type))
        {
            errors.Add($"{at}: expected {type}, got {value.ValueKind} {value.GetRawText()}");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, JsonNode.Parse(value.GetRawText()))))
        {
            errors.Add($"{at}: {value.GetRawText()} is not one of {allowed.ToJsonString()}");
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (schema["minimum"] is { } min && number < (double)min)
            {
                errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is below the minimum {min}");
            }

            if (schema["maximum"] is { } max && number > (double)max)
            {
                errors.Add($"{at}: {number.ToString(CultureInfo.InvariantCulture)} is above the maximum {max}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(description, schema, value, at, errors);
        }

        if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(description, items, item, $"{at}[{i++}]", errors);
            }
        }
    }

    private static void CheckObject(OpenApiDescription description, JsonObject schema, JsonElement value, string at, List<string> errors)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            if (!value.TryGetProperty(required, out _))
            {
                errors.Add($"{at}: required property '{required}' is missing");
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (properties?[property.Name] is { } propertySchema)
            {
                Check(description, propertySchema, property.Value, $"{at}.{property.Name}", errors);
            }
            else if (schema["additionalProperties"] is JsonValue closed && !closed.GetValue<bool>())
            {
                errors.Add($"{at}: property '{property.Name}' is not in the description");
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => throw new InvalidDataException($"Unknown schema type '{type}'."),
    };
}
