using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProductSearch.Storage;
using ProductSearch.Testing;

namespace ProductSearch.Tests.Wiring;

/// <summary>
/// The graph the CLI, Tooling and the test harness build without a host validates the options when it is built, as the
/// host does at start: a bad setting fails before any work, with its name.
/// </summary>
public sealed class ProductSearchServicesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("services-").FullName;

    [Fact]
    public void ABadSettingFailsTheBuildWithItsName()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ProductSearchServices.Build(
            Settings(("ImageLimits:AllowedFormats:0", "bmp")), needsModelFile: false));

        Assert.Contains("'bmp'", e.Message);
    }

    [Fact]
    public void SeveralBadSettingsFailTheBuildTogetherWithEveryName()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ProductSearchServices.Build(
            Settings(("ImageLimits:AllowedFormats:0", "bmp"))));

        Assert.Contains("'bmp'", e.Message);
        Assert.Contains("ONNX file", e.Message);
    }

    [Fact]
    public void AMissingModelFileFailsTheBuildOfACallerThatRunsTheModelOnly()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ProductSearchServices.Build(Settings()));
        Assert.Contains("ONNX file", e.Message);

        using var withoutTheModel = ProductSearchServices.Build(Settings(), needsModelFile: false);
        Assert.NotNull(withoutTheModel.GetRequiredService<ProductVectorTable>());
    }

    [Fact]
    public void TheCallersClockIsTheOneEveryServiceReads()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();

        using var services = ProductSearchServices.Build(Settings(), time: clock, needsModelFile: false);

        Assert.Same(clock, services.GetRequiredService<TimeProvider>());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A real descriptor whose ONNX file is not there.
    private IConfiguration Settings(params (string Key, string Value)[] extra)
    {
        var descriptor = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "models", "resnet18.json")))!;
        descriptor["onnxFile"] = "not-built.onnx";
        var path = Path.Combine(_folder, "model.json");
        File.WriteAllText(path, descriptor.ToJsonString());
        var settings = new Dictionary<string, string?> { ["ProductStorage"] = "UseDevelopmentStorage=true", ["Model:Descriptor"] = path };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
