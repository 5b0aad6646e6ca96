using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;
using ProductSearch.Infra.Tests.Bicep;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// The system topic comes with main.bicep; the BlobCreated subscription is its own template, deployed by the
/// post-deploy hook once the code is up (see <see cref="PostDeployHookTests"/>).
/// </summary>
[Collection(MainTemplateCollectionDefinition.Name)]
public class BlobEventSubscriptionTests(MainTemplateFixture fixture)
{
    public const string SubscriptionTemplate = "app/blob-created-subscription.bicep";

    private static readonly Lazy<CompiledTemplate> SubscriptionTemplateCompiled = new(() =>
    {
        var result = BicepCli.Build(RepositoryRoot.InInfra(SubscriptionTemplate));
        Assert.True(result.ExitCode == 0, result.Diagnostics);
        return new CompiledTemplate(result.StandardOutput);
    });

    private readonly CompiledTemplate _template = fixture.Template;

    private static TemplateResource Subscription => Assert.Single(SubscriptionTemplateCompiled.Value.Deployed("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

    [Fact]
    public void SystemTopic_WatchesTheCatalogueStorageAccount()
    {
        var topic = Assert.Single(_template.Deployed("Microsoft.EventGrid/systemTopics"));

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Evaluate("properties.topicType").AsString);
        Assert.Contains("/Microsoft.Storage/storageAccounts/stcat", topic.Evaluate("properties.source").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void MainTemplate_NeverCreatesTheSubscription()
    {
        // Creating it restarts the site while Event Grid validates the webhook: a re-deploy would race the host's start.
        Assert.Empty(_template.Deployed("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        Assert.DoesNotContain("blobs_extension", _template.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemTopic_MayWriteOnlyTheDeadLetterContainer()
    {
        var topic = Assert.Single(_template.Deployed("Microsoft.EventGrid/systemTopics"));
        var writer = Assert.Single(RoleAssignment.AllIn(_template), assignment => assignment.Principal.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal));

        Assert.Equal("SystemAssigned", topic.Evaluate("identity.type").AsString);
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", writer.RoleId); // Storage Blob Data Contributor
        Assert.Contains("/blobServices/default/containers/event-deadletter", writer.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadLetterContainer_IsCreatedInTheCatalogueAccount()
    {
        var containers = _template.Deployed("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Where(container => container.Scope.Path.EndsWith("catalogue-storage", StringComparison.Ordinal))
            .SelectMany(container => Enumerable.Range(0, container.CopyCount).Select(index => container.Evaluate("name", index).Text));

        Assert.Contains(containers, name => name.EndsWith("/event-deadletter", StringComparison.Ordinal));
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
            "/blobServices/default/containers/<<parameters('imagesContainerName')>>/",
            Subscription.Evaluate("properties.filter.subjectBeginsWith").Text);
    }

    [Fact]
    public void Subscription_DeliversToTheIndexProductImageBlobWebhook()
    {
        var destination = ((KnownValue)Subscription.Evaluate("properties.destination")).Node!;
        var endpoint = (string)destination["properties"]!["endpointUrl"]!;

        Assert.Equal("WebHook", (string?)destination["endpointType"]);
        Assert.StartsWith("https://", endpoint, StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.<<parameters('functionName')>>&code=", endpoint, StringComparison.Ordinal);
        Assert.Equal("IndexProductImage", (string?)SubscriptionTemplateCompiled.Value.Root.Parameters["functionName"]!["defaultValue"]);
        Assert.EndsWith(".systemKeys.blobs_extension>>", endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscription_DeadLettersUndeliveredEventsWithTheTopicIdentity()
    {
        var deadLetter = ((KnownValue)Subscription.Evaluate("properties.deadLetterWithResourceIdentity")).Node!;

        Assert.Equal("SystemAssigned", (string?)deadLetter["identity"]!["type"]);
        Assert.Equal("StorageBlob", (string?)deadLetter["deadLetterDestination"]!["endpointType"]);
        Assert.Contains("deadLetterContainerName", (string?)deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"], StringComparison.Ordinal);
    }
}
