using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

[Collection(MainTemplateCollectionDefinition.Name)]
public class FunctionAppTests(MainTemplateFixture fixture)
{
    // Every setting the app reads in Azure; the names must match the code exactly.
    private static readonly string[] ExpectedSettingNames =
    [
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "Model__Descriptor",
        "ProductStorage__blobServiceUri",
        "ProductStorage__clientId",
        "ProductStorage__credential",
        "ProductStorage__queueServiceUri",
        "ProductStorage__tableServiceUri",
        "Reconcile__Schedule",
        "Search__StalenessSeconds",
        "Storage__ImagesContainer",
        "Storage__VectorTable",
    ];

    private readonly CompiledTemplate _template = fixture.Template;

    private TemplateResource FunctionApp => Assert.Single(_template.Deployed("Microsoft.Web/sites"));

    private JsonObject AppSettings => ((KnownValue)Assert.Single(_template.Deployed("Microsoft.Web/sites/config"))
        .Evaluate("properties")).Node!.AsObject();

    [Fact]
    public void Plan_IsFlexConsumptionFc1OnLinux()
    {
        var plan = Assert.Single(_template.Deployed("Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", plan.Evaluate("sku.name").AsString);
        Assert.Equal("FlexConsumption", plan.Evaluate("sku.tier").AsString);
        Assert.Equal("true", plan.Evaluate("properties.reserved").Text);
    }

    [Fact]
    public void FunctionApp_RunsDotnetIsolated10()
    {
        Assert.Equal("dotnet-isolated", FunctionApp.Evaluate("properties.functionAppConfig.runtime.name").AsString);
        Assert.Equal("10.0", FunctionApp.Evaluate("properties.functionAppConfig.runtime.version").AsString);
    }

    [Fact]
    public void FunctionApp_UsesOnlyAUserAssignedIdentity()
    {
        Assert.Equal("UserAssigned", FunctionApp.Evaluate("identity.type").AsString);
    }

    [Fact]
    public void FunctionApp_AcceptsHttpsOnly()
    {
        Assert.Equal("true", FunctionApp.Evaluate("properties.httpsOnly").Text);
        Assert.Equal("1.2", FunctionApp.Evaluate("properties.siteConfig.minTlsVersion").AsString);
    }

    [Fact]
    public void FunctionApp_CarriesTheAzdServiceTagOfAzureYaml()
    {
        // azd deploys the code to the resource tagged with the service's name in infra/azure.yaml.
        // The caller's tags are only known at deploy time, so the merge stays an expression; the tag is in it.
        Assert.Contains($"createObject('azd-service-name', '{AzureYamlTests.ServiceName}')", FunctionApp.Evaluate("tags").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BasicPublishingCredentials_AreOffAndCarryALocation()
    {
        var policies = _template.Deployed("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy =>
        {
            Assert.Equal("false", policy.Evaluate("properties.allow").Text);
            Assert.Equal("<<parameters('location')>>", policy.Evaluate("location").Text);
        });
    }

    [Fact]
    public void DeploymentPackage_IsReadWithTheUserAssignedIdentity()
    {
        var storage = FunctionApp.Evaluate("properties.functionAppConfig.deployment.storage");
        var node = ((KnownValue)storage).Node!;

        Assert.Equal("blobContainer", (string?)node["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)node["authentication"]!["type"]);
        Assert.Contains("sthost", (string?)node["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_AreExactlyTheOnesTheCodeReads()
    {
        Assert.Equal(ExpectedSettingNames, AppSettings.Select(pair => pair.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AppSettings_ConnectStorageThroughTheManagedIdentity()
    {
        var settings = AppSettings;

        Assert.Equal("managedidentity", (string?)settings["ProductStorage__credential"]);
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("clientId", (string?)settings["ProductStorage__clientId"], StringComparison.Ordinal);
        Assert.Equal((string?)settings["ProductStorage__clientId"], (string?)settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("stcat", (string?)settings["ProductStorage__blobServiceUri"], StringComparison.Ordinal);
        Assert.Contains("sthost", (string?)settings["AzureWebJobsStorage__blobServiceUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_NameTheCatalogueContainerAndTable()
    {
        var settings = AppSettings;

        Assert.Equal("product-images", (string?)settings["Storage__ImagesContainer"]);
        Assert.Equal("productvectors", (string?)settings["Storage__VectorTable"]);
    }

    [Fact]
    public void AppSettings_SendTelemetryWithEntraIdAuthentication()
    {
        var authentication = (string?)AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];

        Assert.StartsWith("ClientId=", authentication, StringComparison.Ordinal);
        Assert.EndsWith(";Authorization=AAD", authentication, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplicationInsights_RejectsKeyOnlyTelemetry()
    {
        var component = Assert.Single(_template.Deployed("Microsoft.Insights/components"));

        Assert.Equal("true", component.Evaluate("properties.DisableLocalAuth").Text);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", component.Evaluate("properties.WorkspaceResourceId").Text, StringComparison.Ordinal);
    }
}
