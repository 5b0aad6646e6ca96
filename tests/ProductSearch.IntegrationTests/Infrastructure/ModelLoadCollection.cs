namespace ProductSearch.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that load their own models outside the Azurite collection. They run alone, after the parallel
/// collections, so their sessions never inflate the working set that HostileInputTests bounds in the same process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModelLoadCollection
{
    public const string Name = "Model loads";
}
