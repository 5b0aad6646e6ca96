namespace ProductSearch.IntegrationTests.Infrastructure;

/// <summary>The integration tests share one Azurite (ProductSearch.Testing starts it) and run one class at a time against it.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
