using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

[Collection(MainTemplateCollectionDefinition.Name)]
public class ParametersFileTests(MainTemplateFixture fixture)
{
    private readonly CompiledTemplate _template = fixture.Template;

    private static JsonObject ParameterValues => JsonNode
        .Parse(File.ReadAllText(RepositoryRoot.InInfra("main.parameters.json")))!["parameters"]!.AsObject();

    [Fact]
    public void ParametersFile_SetsOnlyParametersTheTemplateDeclares()
    {
        var declared = _template.Root.Parameters.Select(pair => pair.Key).ToHashSet(StringComparer.Ordinal);

        Assert.All(ParameterValues, pair => Assert.Contains(pair.Key, declared));
    }

    [Fact]
    public void ParametersFile_SetsEveryParameterWithoutADefault()
    {
        var required = _template.Root.Parameters
            .Where(pair => !pair.Value!.AsObject().ContainsKey("defaultValue"))
            .Select(pair => pair.Key);

        Assert.All(required, name => Assert.True(ParameterValues.ContainsKey(name), $"main.parameters.json lacks {name}."));
    }

    [Fact]
    public void ParametersFile_SetsOnlyAzdPlaceholdersOrTheTemplatesOwnDefaults()
    {
        // The az-only path deploys main.bicep without this file (docs/deployment.md): it must lose nothing by that.
        Assert.All(ParameterValues, pair =>
        {
            var value = pair.Value!["value"]!;
            var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)value : null;
            if (text?.StartsWith("${", StringComparison.Ordinal) == true && !text.StartsWith("${AZURE_", StringComparison.Ordinal))
            {
                // A variable of the operator's own (azd env set): unset, azd passes '', which must be the template's default.
                Assert.Equal("", (string?)_template.Root.Parameters[pair.Key]!["defaultValue"]);
            }
            else if (text?.StartsWith("${AZURE_", StringComparison.Ordinal) != true)
            {
                Assert.Equal(_template.Root.Parameters[pair.Key]!["defaultValue"]!.ToJsonString(), value.ToJsonString());
            }
        });
    }
}
