namespace ProductSearch.Testing;

public static class RepositoryPaths
{
    /// <summary>The folder holding Functions.sln, found from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The shared product photos: <c>PRODUCT_PHOTOS</c> when set (<c>.ci/run</c> sets it for a clone made away from
    /// the shared folder), else <c>../shared/datasets/products</c> beside the checkout.
    /// </summary>
    public static string SharedProducts => Path.GetFullPath(
        Environment.GetEnvironmentVariable("PRODUCT_PHOTOS") is { Length: > 0 } photos
            ? photos
            : Path.Combine(Root, "..", "shared", "datasets", "products"));

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
