using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// What main.bicep accepts from azd and from an operator: any environment name azd allows, only regions with Flex
/// Consumption, instance sizes that hold the model, instance caps down to Flex's minimum of 1, the HTTP concurrency per
/// instance, and the storefront origins the app's CORS allows.
/// </summary>
[Collection(MainTemplateCollectionDefinition.Name)]
public partial class DeploymentParameterTests(MainTemplateFixture fixture)
{
    // azd's longest environment name, with every character it allows besides letters, digits and '-'.
    private const string LongEnvironmentName = "Shop_2026.eu-(west)_catalogue.images-(staging)_0123456789abcdefg";

    // Azure's naming rules for each type this template names (length, characters), from the resource-naming docs.
    private static readonly Dictionary<string, Regex> NameRules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Storage/storageAccounts"] = new("^[a-z0-9]{3,24}$"),
        ["Microsoft.Web/sites"] = new("^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$"),
        ["Microsoft.Web/serverfarms"] = new("^[a-zA-Z0-9-]{1,40}$"),
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = new("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"),
        ["Microsoft.OperationalInsights/workspaces"] = new("^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$"),
        ["Microsoft.Insights/components"] = new("^[a-zA-Z0-9._()-]{1,260}$"),
        ["Microsoft.EventGrid/systemTopics"] = new("^[a-zA-Z0-9-]{3,128}$"),
    };

    private static readonly string[] FlexRegionsSample = ["swedencentral", "eastus", "westeurope", "australiaeast", "uksouth"];

    private readonly CompiledTemplate _template = fixture.Template;

    private JsonObject Parameter(string name) => _template.Root.Parameters[name]!.AsObject();

    [Fact]
    public void EnvironmentName_AcceptsAzdsLongestNames()
    {
        Assert.Equal(64, LongEnvironmentName.Length);
        Assert.Equal(64, (int)Parameter("environmentName")["maxLength"]!);
        Assert.False(Parameter("environmentName").ContainsKey("allowedValues"));
    }

    [Fact]
    public void ResourceNames_FromA64CharacterEnvironmentNameWithPunctuation_AreValidForEachResourceType()
    {
        var deployment = Deploy(LongEnvironmentName);
        var named = NameRules.Keys.SelectMany(deployment.Deployed).ToList();

        Assert.Equal(NameRules.Count + 1, named.Count); // two storage accounts
        Assert.All(named, resource =>
        {
            var name = resource.Evaluate("name").AsString;
            Assert.NotNull(name);
            Assert.Matches(NameRules[resource.Type], name);
            Assert.DoesNotContain("(", name, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ResourceNames_DependOnTheEnvironmentNameOnlyThroughTheToken()
    {
        var first = ResourceNames(Deploy(LongEnvironmentName));
        var second = ResourceNames(Deploy("shop"));

        Assert.All(first.Values, name => Assert.DoesNotContain("shop", name, StringComparison.OrdinalIgnoreCase));
        Assert.All(first.Keys, type => Assert.NotEqual(first[type], second[type]));
        Assert.All(second.Values, name => Assert.Matches(TokenSuffix(), name));
    }

    [Fact]
    public void EnvironmentName_IsInTheTags()
    {
        var app = Assert.Single(Deploy(LongEnvironmentName).Deployed("Microsoft.Web/sites"));
        var tags = Assert.IsType<KnownValue>(app.Evaluate("tags")).Node!.AsObject();

        Assert.Equal(LongEnvironmentName, (string?)tags["azd-env-name"]);
        Assert.Equal("api", (string?)tags["azd-service-name"]);
    }

    [Fact]
    public void Location_IsLimitedToFlexConsumptionRegionsAndFilledByAzd()
    {
        var location = Parameter("location");
        var allowed = location["allowedValues"]!.AsArray().Select(value => (string)value!).ToList();

        Assert.All(FlexRegionsSample, region => Assert.Contains(region, allowed));
        Assert.DoesNotContain("westindia", allowed); // A region without Flex Consumption.
        Assert.Equal(allowed.Count, allowed.Distinct(StringComparer.Ordinal).Count());
        Assert.All(allowed, region => Assert.Matches("^[a-z0-9]+$", region));
        Assert.Equal("location", (string?)location["metadata"]?["azd"]?["type"]);
        var parameters = JsonNode.Parse(File.ReadAllText(RepositoryRoot.InInfra("main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]!["value"]);
    }

    [Fact]
    public void InstanceMemory_OffersOnlySizesThatHoldVgg16()
    {
        var allowed = Parameter("instanceMemoryMB")["allowedValues"]!.AsArray().Select(value => (int)value!);

        Assert.Equal([2048, 4096], allowed);
        Assert.Equal(2048, (int)Parameter("instanceMemoryMB")["defaultValue"]!);
        var module = FunctionAppModuleParameter("instanceMemoryMB");
        Assert.Equal([2048, 4096], module["allowedValues"]!.AsArray().Select(value => (int)value!));
    }

    [Fact]
    public void MaximumInstanceCount_AcceptsFlexsMinimumOfOne()
    {
        foreach (var declared in new[] { Parameter("maximumInstanceCount"), FunctionAppModuleParameter("maximumInstanceCount") })
        {
            Assert.Equal(1, (int)declared["minValue"]!);
            Assert.Equal(1000, (int)declared["maxValue"]!);
        }

        var app = Assert.Single(Deploy("shop", ("maximumInstanceCount", 1)).Deployed("Microsoft.Web/sites"));
        Assert.Equal("1", app.Evaluate("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount").Text);
    }

    [Fact]
    public void HttpPerInstanceConcurrency_IsSetOnTheAppAndDefaultsToEight()
    {
        foreach (var declared in new[] { Parameter("httpPerInstanceConcurrency"), FunctionAppModuleParameter("httpPerInstanceConcurrency") })
        {
            Assert.Equal(1, (int)declared["minValue"]!);
            Assert.Equal(1000, (int)declared["maxValue"]!);
        }

        Assert.Equal("8", PerInstanceConcurrency(Deploy("shop")));
        Assert.Equal("2", PerInstanceConcurrency(Deploy("shop", ("httpPerInstanceConcurrency", 2))));
    }

    [Fact]
    public void StorefrontOrigins_AreTheAppsCorsAllowedOrigins()
    {
        var origins = CorsOrigins(Deploy("shop", ("storefrontOrigins", "https://shop.example, https://www.shop.example")));

        Assert.Equal(["https://shop.example", "https://www.shop.example"], origins);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void StorefrontOrigins_EmptyOrUnset_AllowNoCrossOriginCaller(string? value)
    {
        var deployment = value is null ? Deploy("shop") : Deploy("shop", ("storefrontOrigins", value));
        var app = Assert.Single(deployment.Deployed("Microsoft.Web/sites"));

        Assert.Empty(CorsOrigins(deployment));
        Assert.Equal("false", app.Evaluate("properties.siteConfig.cors.supportCredentials").Text);
    }

    [Fact]
    public void StorefrontOrigins_ComeFromAzdsStorefrontOriginsVariable()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(RepositoryRoot.InInfra("main.parameters.json")))!["parameters"]!;

        Assert.Equal("${STOREFRONT_ORIGINS}", (string?)parameters["storefrontOrigins"]!["value"]);
        Assert.Equal("string", (string?)Parameter("storefrontOrigins")["type"]);
        Assert.Equal("", (string?)Parameter("storefrontOrigins")["defaultValue"]);
    }

    private static string PerInstanceConcurrency(CompiledTemplate deployment) => Assert.Single(deployment.Deployed("Microsoft.Web/sites"))
        .Evaluate("properties.functionAppConfig.scaleAndConcurrency.triggers.http.perInstanceConcurrency").Text;

    private static List<string> CorsOrigins(CompiledTemplate deployment)
    {
        var origins = Assert.IsType<KnownValue>(Assert.Single(deployment.Deployed("Microsoft.Web/sites")).Evaluate("properties.siteConfig.cors.allowedOrigins"));
        return [.. origins.Node!.AsArray().Select(origin => (string)origin!)];
    }

    private CompiledTemplate Deploy(string environmentName, params (string Name, JsonNode Value)[] more)
    {
        var arguments = new JsonObject { ["environmentName"] = environmentName, ["location"] = "swedencentral" };
        foreach (var (name, value) in more)
        {
            arguments[name] = value;
        }

        return new CompiledTemplate(_template.Json, arguments);
    }

    private static Dictionary<string, string> ResourceNames(CompiledTemplate deployment) => NameRules.Keys
        .SelectMany(deployment.Deployed)
        .GroupBy(resource => resource.Type + "/" + resource.Evaluate("name").AsString![..^13])
        .ToDictionary(group => group.Key, group => Assert.Single(group).Evaluate("name").AsString!, StringComparer.Ordinal);

    private JsonObject FunctionAppModuleParameter(string name) => _template.Scopes
        .Single(scope => scope.Path.EndsWith("/function-app", StringComparison.Ordinal))
        .Parameters[name]!.AsObject();

    [GeneratedRegex("[a-z2-7]{13}$")]
    private static partial Regex TokenSuffix();
}
