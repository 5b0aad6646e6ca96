namespace ProductSearch.IntegrationTests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding Functions.sln, found from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string SharedProducts => Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "products"));

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
