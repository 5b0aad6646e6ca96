using ProductSearch.Features;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// Where a <c>--model</c> path points: what the user typed, from the working folder; else from the repository
/// root above it (so the docs' <c>models/...</c> works from any folder of a checkout); else from the CLI's own
/// folder, as the app resolves <c>Model__Descriptor</c>.
/// </summary>
internal static class DescriptorPath
{
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Candidates(path).FirstOrDefault(File.Exists) ?? ModelOptionsValidation.ResolvePath(path);

    /// <summary>
    /// Why <paramref name="path"/> cannot serve as <c>--model</c>: no descriptor, an invalid one, or a missing ONNX file
    /// (with the command that builds it); null when it can.
    /// </summary>
    public static string? Error(string path, bool needsOnnx = true)
    {
        var resolved = Resolve(path);
        if (!File.Exists(resolved))
        {
            return $"--model: no model descriptor at '{path}' (looked in {Looked(path)}).";
        }

        if (!needsOnnx)
        {
            return null;
        }

        try
        {
            var descriptor = ModelDescriptor.Load(resolved);
            return File.Exists(descriptor.OnnxPath) ? null : "--model: " + ModelOptionsValidation.MissingOnnxMessage(descriptor, resolved, bundled => $"pass --model {bundled}");
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            return $"--model '{path}': {e.Message}";
        }
    }

    /// <summary>The places <see cref="Resolve"/> looked, for a message when none holds the file.</summary>
    public static string Looked(string path) => string.Join(", ", Candidates(path).Distinct(StringComparer.Ordinal));

    /// <summary>The working folder, the repository root above it, then the CLI's own folder, in that order.</summary>
    private static IEnumerable<string> Candidates(string path)
    {
        yield return Path.GetFullPath(path);
        if (ModelFiles.RepositoryRoot(Environment.CurrentDirectory) is { } root)
        {
            yield return Path.Combine(root, path);
        }

        yield return ModelOptionsValidation.ResolvePath(path);
    }
}
