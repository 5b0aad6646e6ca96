using System.Text.Json.Nodes;
using ProductSearch.Infra.Tests.Arm;

namespace ProductSearch.Infra.Tests;

[Collection(MainTemplateCollectionDefinition.Name)]
public class StorageAccountTests(MainTemplateFixture fixture)
{
    private readonly CompiledTemplate _template = fixture.Template;

    private IReadOnlyList<TemplateResource> StorageAccounts => _template.Deployed("Microsoft.Storage/storageAccounts");

    [Fact]
    public void Template_DeploysHostAndCatalogueStorageAccounts()
    {
        var names = StorageAccounts.Select(account => account.Evaluate("name").Text).ToList();

        Assert.Equal(2, names.Count);
        Assert.Contains(names, name => name.StartsWith("sthost", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("stcat", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryStorageAccount_DisablesSharedKeyAccess()
    {
        Assert.All(StorageAccounts, account => Assert.False(Flag(account, "properties.allowSharedKeyAccess")));
    }

    [Fact]
    public void EveryStorageAccount_DisallowsAnonymousBlobAccess()
    {
        Assert.All(StorageAccounts, account => Assert.False(Flag(account, "properties.allowBlobPublicAccess")));
    }

    [Fact]
    public void EveryStorageAccount_RequiresHttpsAndTls12()
    {
        Assert.All(StorageAccounts, account =>
        {
            Assert.True(Flag(account, "properties.supportsHttpsTrafficOnly"));
            Assert.Equal("TLS1_2", account.Evaluate("properties.minimumTlsVersion").AsString);
        });
    }

    [Fact]
    public void CatalogueStorage_HoldsImagesContainerAndVectorTable()
    {
        var containers = ChildNames("Microsoft.Storage/storageAccounts/blobServices/containers");
        var tables = ChildNames("Microsoft.Storage/storageAccounts/tableServices/tables");

        Assert.Contains(containers, name => name.StartsWith("stcat", StringComparison.Ordinal) && name.EndsWith("/default/product-images", StringComparison.Ordinal));
        Assert.Contains(tables, name => name.StartsWith("stcat", StringComparison.Ordinal) && name.EndsWith("/default/productvectors", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBlobContainer_IsPrivate()
    {
        Assert.All(_template.Deployed("Microsoft.Storage/storageAccounts/blobServices/containers"), container =>
            Assert.Equal("None", container.Evaluate("properties.publicAccess").AsString));
    }

    // A literal false is required: an expression could evaluate to true at deployment.
    private static bool Flag(TemplateResource resource, string path) =>
        resource.Evaluate(path) is KnownValue { Node: JsonValue value } && value.TryGetValue(out bool flag)
            ? flag
            : throw new Xunit.Sdk.XunitException($"{path} of {resource.Evaluate("name").Text} is not a literal boolean.");

    private List<string> ChildNames(string type) => _template.Deployed(type)
        .SelectMany(resource => Enumerable.Range(0, resource.CopyCount).Select(index => resource.Evaluate("name", index).Text))
        .ToList();
}
