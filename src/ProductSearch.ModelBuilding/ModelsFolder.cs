namespace ProductSearch.ModelBuilding;

/// <summary>Where built models go by default: the repository's <c>models/</c> folder, so the build's copy step picks them up.</summary>
public static class ModelsFolder
{
    public const string RepositoryMarker = "Functions.sln";
    public const string FolderName = "models";

    /// <summary>The <c>models/</c> folder beside the nearest <see cref="RepositoryMarker"/> above <paramref name="startDirectory"/>, else under it.</summary>
    public static string Locate(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, RepositoryMarker)))
            {
                return Path.Combine(directory.FullName, FolderName);
            }
        }

        return Path.Combine(Path.GetFullPath(startDirectory), FolderName);
    }
}
