namespace ProductSearch.Infra.Tests.Bicep;

internal static class BicepFiles
{
    public const string MainTemplate = "main.bicep";

    /// <summary>Every .bicep file under infra/, relative to infra/ with forward slashes.</summary>
    public static IReadOnlyList<string> All { get; } = Directory
        .EnumerateFiles(RepositoryRoot.Infra, "*.bicep", SearchOption.AllDirectories)
        .Select(file => Path.GetRelativePath(RepositoryRoot.Infra, file).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> AllAsTheoryData()
    {
        var data = new TheoryData<string>();
        foreach (var file in All)
        {
            data.Add(file);
        }

        return data;
    }
}
