using Microsoft.Extensions.Options;

namespace ProductSearch.Features;

/// <summary>
/// Fails the host at start, with one message that says what to do, when the model cannot be loaded:
/// a missing VGG16 file is the usual first-run problem, and finding out at the first upload is too late.
/// </summary>
public sealed class ModelOptionsValidation : IValidateOptions<ModelOptions>
{
    /// <summary>The recommended descriptor of the ResNet18 that ships with the build.</summary>
    public const string BundledDescriptor = "resnet18-l3l4.json";

    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var path = ResolvePath(options.Descriptor);
        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Model:Descriptor '{options.Descriptor}' does not exist ({path}).");
        }

        ModelDescriptor descriptor;
        try
        {
            descriptor = ModelDescriptor.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }

        return File.Exists(descriptor.OnnxPath)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(MissingOnnxMessage(descriptor, path, bundled => $"set Model__Descriptor={bundled}"));
    }

    /// <summary>
    /// Names the missing file, the exact command that builds it and, unless that is what was asked for, the bundled
    /// model that needs no build. <paramref name="switchTo"/> says how the caller picks another descriptor, given its path.
    /// </summary>
    public static string MissingOnnxMessage(ModelDescriptor descriptor, string descriptorPath, Func<string, string> switchTo)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(descriptorPath))!;
        var message = $"The ONNX file of model '{descriptor.Id}' is missing: {descriptor.OnnxPath}. {ModelFiles.HowToBuild(descriptor, folder)}";
        var bundled = $"{ModelFiles.FolderName}/{BundledDescriptor}";
        return Path.GetFileName(descriptorPath).Equals(BundledDescriptor, StringComparison.OrdinalIgnoreCase)
            ? message + "."
            : $"{message}, or {switchTo(bundled)} to use the bundled ResNet18 (no download).";
    }

    /// <summary>Relative descriptor paths are relative to the app's folder, not the working directory.</summary>
    public static string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
