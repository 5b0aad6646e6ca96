using System.Diagnostics;

namespace ProductSearch.Infra.Tests;

/// <summary>
/// infra/hooks/prepackage.sh run by bash over a scratch copy of the files it reads, with a stub <c>dotnet</c>
/// that records its calls: VGG16 is built only when the deployment names it and it is missing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrePackageHookTests : IDisposable
{
    private const string Build = "run -c Release --project src/ProductSearch.Cli -- model build-vgg16";

    private readonly string _root = Directory.CreateTempSubdirectory("prepackage-").FullName;

    public PrePackageHookTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "infra"));
        Directory.CreateDirectory(Path.Combine(_root, "models"));
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        File.Copy(Path.Combine(RepositoryRoot.Infra, "main.parameters.json"), Path.Combine(_root, "infra", "main.parameters.json"));
        var dotnet = Path.Combine(_root, "bin", "dotnet");
        File.WriteAllText(dotnet, "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> \"$(dirname \"$0\")/calls.log\"\n");
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private IEnumerable<string> Calls => File.Exists(Path.Combine(_root, "bin", "calls.log")) ? File.ReadAllLines(Path.Combine(_root, "bin", "calls.log")) : [];

    [Fact]
    public void TheDefaultVgg16DescriptorWithoutItsModel_BuildsIt()
    {
        Assert.Equal(0, RunHook());

        Assert.Equal([Build], Calls);
    }

    [Fact]
    public void AModelAlreadyBuilt_IsNotBuiltAgain()
    {
        File.WriteAllText(Path.Combine(_root, "models", "vgg16-notop.onnx"), "built");

        Assert.Equal(0, RunHook());

        Assert.Empty(Calls);
    }

    [Fact]
    public void TheBundledResNet18_NeedsNoBuild()
    {
        var parameters = Path.Combine(_root, "infra", "main.parameters.json");
        File.WriteAllText(parameters, File.ReadAllText(parameters).Replace("models/vgg16.json", "models/resnet18-l3l4.json", StringComparison.Ordinal));

        Assert.Equal(0, RunHook());

        Assert.Empty(Calls);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private int RunHook()
    {
        var startInfo = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Infra, "hooks", "prepackage.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["PATH"] = $"{Path.Combine(_root, "bin")}:/usr/bin:/bin";
        startInfo.Environment["PRODUCT_SEARCH_ROOT"] = _root;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "The hook did not finish.");
        Assert.True(process.ExitCode == 0 || error.Result.Length > 0, output.Result);
        return process.ExitCode;
    }
}
