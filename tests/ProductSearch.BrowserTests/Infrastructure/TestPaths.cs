namespace ProductSearch.BrowserTests.Infrastructure;

internal static class TestPaths
{
    /// <summary>The folder holding Functions.sln, found from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The real shop photos beside the repository (read in place, never copied into it).</summary>
    public static string SharedProducts => Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "products"));

    public static string OpenApiDocument => Path.Combine(Root, "src", "ProductSearch.Functions", "openapi.json");

    /// <summary>Screenshots land here (git-ignored), one file per view, overwritten by each run.</summary>
    public static string Screenshots => Path.Combine(Root, "TestResults", "storefront");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}.");
    }
}
