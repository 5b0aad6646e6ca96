
namespace ProductSearch.BrowserTests.Infrastructure;

internal static class TestPaths
{
    /// <summary>The folder holding Functions.sln, found from the test's output folder.</summary>
    public static string Root => RepositoryPaths.Root;

    /// <summary>The real shop photos beside the repository (read in place, never copied into it).</summary>
    public static string SharedProducts => RepositoryPaths.SharedProducts;

    public static string OpenApiDocument => Path.Combine(Root, "src", "ProductSearch.Functions", "openapi.json");

    /// <summary>Screenshots land here (git-ignored), one file per view, overwritten by each run.</summary>
    public static string Screenshots => Path.Combine(Root, "TestResults", "storefront");
}
