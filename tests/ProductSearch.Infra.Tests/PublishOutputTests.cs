using System.Diagnostics;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// `dotnet publish` of the function app, as azd and the az-only path run it: what Flex Consumption (linux-x64)
/// runs and nothing else. One real publish for all the assertions (it takes a minute or two).
/// </summary>
public sealed class PublishOutputTests(PublishOutputTests.PublishFixture publish) : IClassFixture<PublishOutputTests.PublishFixture>
{
    // VGG16 without its top: 14,714,688 float32 weights (Keras' vgg16 notop), the ONNX graph around them is a few KB.
    private const long Vgg16NotopBytes = 14_714_688L * 4;

    private const long PackageBudgetBytes = 150_000_000;

    [Fact]
    public void Publish_Succeeds()
    {
        Assert.True(publish.Published.ExitCode == 0, publish.Published.Output);
    }

    [Fact]
    public void Package_HoldsOnlyLinuxX64Natives()
    {
        var files = publish.Files;

        Assert.Contains("libonnxruntime.so", files);
        Assert.DoesNotContain(files, file => file.StartsWith("runtimes/", StringComparison.Ordinal));
        Assert.DoesNotContain(files, file => file.EndsWith(".dylib", StringComparison.Ordinal));
        Assert.DoesNotContain(files, file => Path.GetFileName(file).StartsWith("onnxruntime", StringComparison.OrdinalIgnoreCase) && file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Package_HoldsTheDecoderProcessTheWorkerStarts()
    {
        // Without its runtimeconfig and deps the decoder cannot start, the worker refuses to (Decoder:Assembly is checked
        // at start-up), and no image is ever indexed.
        Assert.Contains("ProductSearch.Decoder.dll", publish.Files);
        Assert.Contains("ProductSearch.Decoder.runtimeconfig.json", publish.Files);
        Assert.Contains("ProductSearch.Decoder.deps.json", publish.Files);
    }

    [Fact]
    public void Package_HoldsOnlyTheDeployedDescriptorsModel()
    {
        Assert.Equal(["models/resnet18.onnx"], publish.Files.Where(file => file.EndsWith(".onnx", StringComparison.Ordinal)));
        Assert.Contains("models/resnet18-l3l4.json", publish.Files);
    }

    [Fact]
    public void Package_WithVgg16InsteadOfResNet18_FitsTheBudget()
    {
        var withoutModels = publish.Files.Where(file => !file.EndsWith(".onnx", StringComparison.Ordinal))
            .Sum(file => new FileInfo(Path.Combine(publish.Output, file)).Length);

        Assert.True(withoutModels + Vgg16NotopBytes <= PackageBudgetBytes, $"{withoutModels:N0} bytes besides the model");
    }

    [Fact]
    public void ADescriptorWhoseModelIsMissing_FailsThePublishNamingTheBuildCommand()
    {
        var descriptor = Path.Combine(publish.Scratch, "missing.json");
        File.WriteAllText(descriptor, File.ReadAllText(Path.Combine(RepositoryRoot.Path, "models", "vgg16.json"))
            .Replace("vgg16-notop.onnx", "not-built-yet.onnx", StringComparison.Ordinal));

        var result = PublishFixture.Publish(Path.Combine(publish.Scratch, "missing"), descriptor);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The package would lack models/not-built-yet.onnx", result.Output, StringComparison.Ordinal);
        Assert.Contains("model build-vgg16", result.Output, StringComparison.Ordinal);
    }

    public sealed class PublishFixture : IDisposable
    {
        public PublishFixture()
        {
            Scratch = Directory.CreateTempSubdirectory("publish-").FullName;
            Output = Path.Combine(Scratch, "package");
            Published = Publish(Output, "models/resnet18-l3l4.json");
            Files = Directory.Exists(Output)
                ? Directory.EnumerateFiles(Output, "*", SearchOption.AllDirectories)
                    .Select(file => Path.GetRelativePath(Output, file).Replace('\\', '/'))
                    .Where(file => !file.StartsWith(".azurefunctions/", StringComparison.Ordinal)) // the host's extension bundle, managed only
                    .ToList()
                : [];
        }

        public string Scratch { get; }

        public string Output { get; }

        public (int ExitCode, string Output) Published { get; }

        public IReadOnlyList<string> Files { get; }

        public static (int ExitCode, string Output) Publish(string output, string descriptor)
        {
            var startInfo = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepositoryRoot.Path,
            };
            foreach (var argument in new[] { "publish", "src/ProductSearch.Functions", "-c", "Release", "-o", output, $"-p:PublishedModelDescriptor={descriptor}", "-nologo" })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo)!;
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish ran longer than 10 minutes.");
            }

            return (process.ExitCode, standardOutput.Result + standardError.Result);
        }

        public void Dispose() => Directory.Delete(Scratch, recursive: true);
    }
}
