namespace ProductSearch.Infra.Tests;

/// <summary>Locates the checkout the tests run in, so paths work from any bin/ folder.</summary>
internal static class RepositoryRoot
{
    private const string Marker = "Functions.sln";

    public static string Path { get; } = Find();

    public static string Infra => System.IO.Path.Combine(Path, "infra");

    public static string InInfra(string relativePath) => System.IO.Path.Combine(Infra, relativePath);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, Marker)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {Marker} above {AppContext.BaseDirectory}.");
    }
}
