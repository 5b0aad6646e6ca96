using System.Text.RegularExpressions;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

[Collection(MainTemplateCollectionDefinition.Name)]
public partial class SecretsTests(MainTemplateFixture fixture)
{
    private readonly CompiledTemplate _template = fixture.Template;

    [Fact]
    public void Template_ContainsNoAccountKeyConnectionString()
    {
        Assert.DoesNotContain("AccountKey=", _template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature=", _template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol=", _template.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Template_ReadsNoStorageAccountKeysOrSas()
    {
        // list* calls read secrets at deployment time. The one allowed is the Functions host's
        // blobs_extension system key, which authorises Event Grid's webhook calls.
        var secretReads = ListFunctionCall().Matches(_template.Json).Select(match => match.Value).ToList();

        Assert.All(secretReads, call =>
        {
            Assert.DoesNotContain("Microsoft.Storage", call, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(HostKeysCall(), call);
        });
    }

    [Fact]
    public void Outputs_ExposeNoSecretsOrConnectionStrings()
    {
        foreach (var scope in _template.Scopes)
        {
            foreach (var (name, output) in scope.Outputs)
            {
                var where = $"{scope.Path} output {name}";
                Assert.False(SecretSoundingName().IsMatch(name), $"{where} sounds like a secret.");
                Assert.NotEqual("securestring", (string?)output!["type"], StringComparer.OrdinalIgnoreCase);
                var value = output["value"]?.ToJsonString() ?? "";
                Assert.False(ListFunctionCall().IsMatch(value), $"{where} reads a secret: {value}");
                Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void AppSettings_ContainNoKeysOrPlainConnectionStrings()
    {
        var settings = Assert.Single(_template.Deployed("Microsoft.Web/sites/config"));
        var values = settings.Evaluate("properties");

        Assert.DoesNotMatch(ListFunctionCall(), values.Text);
        Assert.DoesNotContain("AccountKey", values.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", values.Text, StringComparison.OrdinalIgnoreCase);
        // A bare AzureWebJobsStorage or ProductStorage setting would be a connection string.
        var names = ((KnownValue)values).Node!.AsObject().Select(pair => pair.Key).ToList();
        Assert.DoesNotContain("AzureWebJobsStorage", names);
        Assert.DoesNotContain("ProductStorage", names);
    }

    [GeneratedRegex(@"\blist[A-Za-z]*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunctionCall();

    [GeneratedRegex(@"^listKeys\(format\('\{0\}/host/default', resourceId\('Microsoft\.Web/sites',")]
    private static partial Regex HostKeysCall();

    [GeneratedRegex("key|secret|password|connectionstring|sas", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSoundingName();
}
