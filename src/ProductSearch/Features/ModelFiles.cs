using System.Text.Json;

namespace ProductSearch.Features;

/// <summary>
/// Where a model's files are found, and how to build one that is missing. A descriptor names its ONNX file
/// relative to itself, but not every file lives beside every copy of the descriptor: ResNet18 comes from NuGet
/// into the build output only, and files the CLI builds (VGG16, int8) land in the repository's models/ folder
/// after the last build copied it. So the descriptor's folder is tried first, then the build output's models/,
/// then the models/ of the checkout the program was built from.
/// </summary>
public static class ModelFiles
{
    public const string FolderName = "models";
    public const string RepositoryMarker = "Functions.sln";
    public const string BuildVgg16Command = "dotnet run --project src/ProductSearch.Cli -- model build-vgg16";
    public const string BuildCommand = "dotnet build Functions.sln -c Release";
    public const string Vgg16OnnxFile = "vgg16-notop.onnx";
    public const string Int8Suffix = "-int8";

    /// <summary>The first of the candidate places where <paramref name="file"/> exists, else the one beside the descriptor.</summary>
    public static string Locate(string descriptorFolder, string file)
    {
        if (Path.IsPathRooted(file))
        {
            return Path.GetFullPath(file);
        }

        var candidates = SearchFolders(descriptorFolder).Select(folder => Path.GetFullPath(Path.Combine(folder, file))).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    /// <summary>The descriptor's folder, the build output's models/, and the models/ of the checkout above the build output.</summary>
    public static IReadOnlyList<string> SearchFolders(string descriptorFolder)
    {
        List<string> folders = [Path.GetFullPath(descriptorFolder), Path.Combine(AppContext.BaseDirectory, FolderName)];
        if (RepositoryRoot(AppContext.BaseDirectory) is { } root)
        {
            folders.Add(Path.Combine(root, FolderName));
        }

        return folders.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds <see cref="RepositoryMarker"/>.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, RepositoryMarker)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// The exact command that makes <paramref name="descriptor"/>'s missing ONNX file, run from the repository root:
    /// <c>model build-vgg16</c> for VGG16, <c>model quantize</c> of the float model for an int8 file (after
    /// build-vgg16 when that float model is VGG16 and missing too), a build for the bundled ResNet18.
    /// </summary>
    public static string HowToBuild(ModelDescriptor descriptor, string descriptorFolder)
    {
        var file = Path.GetFileName(descriptor.OnnxPath);
        if (file.Equals(Vgg16OnnxFile, StringComparison.OrdinalIgnoreCase))
        {
            return $"Build it with `{BuildVgg16Command}` (downloads the Keras ImageNet weights, about 56 MiB)";
        }

        var stem = Path.GetFileNameWithoutExtension(file);
        if (stem.EndsWith(Int8Suffix, StringComparison.OrdinalIgnoreCase))
        {
            var source = stem[..^Int8Suffix.Length] + ".onnx";
            var quantize = FloatDescriptorOf(source, descriptorFolder) is { } floatDescriptor
                ? $"dotnet run --project src/ProductSearch.Cli -- model quantize --model {FolderName}/{floatDescriptor} --photos <folder of your photos>"
                : $"dotnet run --project src/ProductSearch.Cli -- model quantize --model <the descriptor of {source}> --photos <folder of your photos>";
            var first = source.Equals(Vgg16OnnxFile, StringComparison.OrdinalIgnoreCase) && !File.Exists(Locate(descriptorFolder, source))
                ? $"`{BuildVgg16Command}`, then "
                : "";
            return $"Build it with {first}`{quantize}` (int8 files are built on your own photos, never shipped)";
        }

        return $"It comes with the build: run `{BuildCommand}`, which copies it into the build output's {FolderName}/ folder";
    }

    // The shortest-named descriptor whose onnxFile is the float model: models/resnet18.json rather than a variant of it.
    private static string? FloatDescriptorOf(string onnxFile, string descriptorFolder)
    {
        foreach (var folder in SearchFolders(descriptorFolder).Where(Directory.Exists))
        {
            var match = Directory.EnumerateFiles(folder, "*.json")
                .Where(path => OnnxFileOf(path) is { } named && named.Equals(onnxFile, StringComparison.OrdinalIgnoreCase))
                .Select(Path.GetFileName)
                .OrderBy(name => name!.Length)
                .ThenBy(name => name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    private static string? OnnxFileOf(string descriptorPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(descriptorPath));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("onnxFile", out var onnx)
                && onnx.ValueKind == JsonValueKind.String
                ? onnx.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // not a descriptor (a whitening file, a report): not a candidate
        }
    }
}
