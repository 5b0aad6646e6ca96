using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

[Collection(MainTemplateCollectionDefinition.Name)]
public class BlobEventSubscriptionTests(MainTemplateFixture fixture)
{
    private readonly CompiledTemplate _template = fixture.Template;

    private TemplateResource Subscription => Assert.Single(_template.Deployed("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

    [Fact]
    public void SystemTopic_WatchesTheCatalogueStorageAccount()
    {
        var topic = Assert.Single(_template.Deployed("Microsoft.EventGrid/systemTopics"));

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Evaluate("properties.topicType").AsString);
        Assert.Contains("/Microsoft.Storage/storageAccounts/stcat", topic.Evaluate("properties.source").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_SendsOnlyBlobCreatedEvents()
    {
        var types = ((KnownValue)Subscription.Evaluate("properties.filter.includedEventTypes")).Node!.AsArray();

        Assert.Equal(["Microsoft.Storage.BlobCreated"], types.Select(type => (string?)type));
    }

    [Fact]
    public void Subscription_FiltersOnTheImagesContainer()
    {
        Assert.Equal(
            "/blobServices/default/containers/product-images/",
            Subscription.Evaluate("properties.filter.subjectBeginsWith").AsString);
    }

    [Fact]
    public void Subscription_DeliversToTheIndexProductImageBlobWebhook()
    {
        var destination = ((KnownValue)Subscription.Evaluate("properties.destination")).Node!;
        var endpoint = (string)destination["properties"]!["endpointUrl"]!;

        Assert.Equal("WebHook", (string?)destination["endpointType"]);
        Assert.StartsWith("https://", endpoint, StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.IndexProductImage&code=", endpoint, StringComparison.Ordinal);
        Assert.Contains("/host/default", endpoint, StringComparison.Ordinal);
        Assert.EndsWith(".systemKeys.blobs_extension>>", endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_IsCreatedOnlyWhenRequested()
    {
        // Event Grid validates the webhook on creation, which fails until the code is published.
        var deployment = _template.Root.Template["resources"]!["blobCreatedSubscription"] as JsonObject;

        Assert.NotNull(deployment);
        Assert.Equal("[parameters('subscribeToBlobEvents')]", (string?)deployment["condition"]);
        Assert.Equal("false", _template.Root.Parameters["subscribeToBlobEvents"]!["defaultValue"]!.ToJsonString());
    }
}
