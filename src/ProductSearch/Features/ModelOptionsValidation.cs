using Microsoft.Extensions.Options;

namespace ProductSearch.Features;

/// <summary>
/// Fails the host at start, with one message that says what to do, when the model cannot be loaded:
/// a missing VGG16 file is the usual first-run problem, and finding out at the first upload is too late.
/// </summary>
public sealed class ModelOptionsValidation : IValidateOptions<ModelOptions>
{
    public const string BuildVgg16Command = "dotnet run --project src/ProductSearch.Cli -- model build-vgg16";

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
            : ValidateOptionsResult.Fail(
                $"The ONNX file of model '{descriptor.Id}' is missing: {descriptor.OnnxPath}. " +
                $"Build it with `{BuildVgg16Command}` (downloads the Keras ImageNet weights, about 56 MiB), " +
                "or set Model__Descriptor=models/resnet18-l3l4.json to use the bundled ResNet18 (no download).");
    }

    /// <summary>Relative descriptor paths are relative to the app's folder, not the working directory.</summary>
    public static string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
