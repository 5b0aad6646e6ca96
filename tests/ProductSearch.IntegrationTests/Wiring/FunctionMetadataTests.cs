using System.Reflection;
using System.Text.Json.Nodes;
using ProductSearch.Functions;

namespace ProductSearch.IntegrationTests.Wiring;

/// <summary>
/// The metadata the worker SDK generates is what the Functions host reads at start: a wrong path,
/// connection or route would only show under `func start`, so it is checked here.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly JsonArray Functions = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!;

    [Fact]
    public void BlobTriggerWatchesCategoryFoldersOfTheConfiguredContainerThroughTheProductStorageConnection()
    {
        var binding = TriggerOf(nameof(IndexProductImage));

        Assert.Equal("blobTrigger", (string?)binding["type"]);
        Assert.Equal("%Storage:ImagesContainer%/{category}/{name}", (string?)binding["path"]);
        Assert.Equal("ProductStorage", (string?)binding["connection"]);
        Assert.Equal(IndexProductImage.Source.ToString(), (string?)binding["source"]);
    }

    [Fact]
    public void AReleaseBuildTriggersOnEventGridAndOnlyADebugBuildPolls()
    {
        // Flex Consumption runs only the Event Grid source; whatever builds for Azure builds Release (dotnet publish,
        // azd, func azure functionapp publish, CI), and only func start's Debug build polls Azurite.
        var configuration = typeof(IndexProductImage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var expected = string.Equals(configuration, "Debug", StringComparison.OrdinalIgnoreCase) ? "LogsAndContainerScan" : "EventGrid";

        Assert.Equal(expected, (string?)TriggerOf(nameof(IndexProductImage))["source"]);
    }

    [Theory]
    [InlineData(nameof(SimilarByImageId), "get", "categories/{category}/products/{id}/similar")]
    [InlineData(nameof(SimilarByUpload), "post", "categories/{category}/similar")]
    public void StorefrontSearchesAnswerTheirRouteAndMethodWithNoKey(string function, string method, string route)
    {
        var binding = TriggerOf(function);

        Assert.Equal("httpTrigger", (string?)binding["type"]);
        Assert.Equal([method], binding["methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(route, (string?)binding["route"]);
        Assert.Equal("Anonymous", (string?)binding["authLevel"]);
    }

    private static JsonNode TriggerOf(string function)
    {
        var entry = Functions.SingleOrDefault(f => (string?)f!["name"] == function)
            ?? throw new Xunit.Sdk.XunitException($"functions.metadata has no function '{function}'.");
        return entry["bindings"]!.AsArray().Single(b => ((string?)b!["type"])!.EndsWith("Trigger", StringComparison.Ordinal))!;
    }
}
