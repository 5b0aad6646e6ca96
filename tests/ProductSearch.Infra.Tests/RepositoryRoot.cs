
namespace ProductSearch.Infra.Tests;

/// <summary>Locates the checkout the tests run in, so paths work from any bin/ folder.</summary>
internal static class RepositoryRoot
{
    public static string Path => RepositoryPaths.Root;

    public static string Infra => System.IO.Path.Combine(Path, "infra");

    public static string InInfra(string relativePath) => System.IO.Path.Combine(Infra, relativePath);
}
