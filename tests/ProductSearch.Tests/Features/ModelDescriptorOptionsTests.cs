using ProductSearch.Features;
using ProductSearch.Imaging;

namespace ProductSearch.Tests.Features;

public sealed class ModelDescriptorOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("descriptor").FullName;

    [Fact]
    public void ADescriptorWithoutTheNewOptionsKeepsTodaysPipeline()
    {
        var descriptor = Load("""{ "id": "m", "onnxFile": "m.onnx", "input": { "name": "x" }, "output": { "name": "y" } }""");

        Assert.Equal(BackgroundTrim.Off, descriptor.Input.TrimBackground);
        Assert.False(descriptor.Input.AverageWithMirror);
        Assert.Equal(Pooling.Avg, descriptor.Output.Pooling);
        Assert.Empty(descriptor.ExtraOutputs);
        Assert.Null(descriptor.WhiteningPath);
    }

    [Fact]
    public void TheNewOptionsAreReadAndTheWhiteningFileResolvedBesideTheDescriptor()
    {
        var descriptor = Load("""
            {
              "id": "m", "onnxFile": "m.onnx", "whiteningFile": "m.whitening",
              "input": { "name": "x", "trimBackground": "keepAspect", "averageWithMirror": true },
              "output": { "name": "y", "pooling": "gem", "gemP": 3 },
              "extraOutputs": [ { "name": "z", "pooling": "rmac" } ]
            }
            """);

        Assert.Equal(BackgroundTrim.KeepAspect, descriptor.Input.TrimBackground);
        Assert.True(descriptor.Input.AverageWithMirror);
        Assert.Equal((Pooling.Gem, 3f), (descriptor.Output.Pooling, descriptor.Output.GemP));
        Assert.Equal(Pooling.Rmac, Assert.Single(descriptor.ExtraOutputs).Pooling);
        Assert.Equal(Path.Combine(_folder, "m.whitening"), descriptor.WhiteningPath);
    }

    [Fact]
    public void TheColourFloorIsReadIntoTheColourIdOffKeepsTheOldIdAndAnImpossibleOneIsRefused()
    {
        const string Descriptor = """{ "id": "m", "onnxFile": "m.onnx", "input": { "name": "x" }, "output": { "name": "y" }, "colour": { "minBinShare": SHARE } }""";

        Assert.Equal(0.01, Load(Descriptor.Replace("SHARE", "0.01")).Colour!.MinBinShare);
        Assert.Equal("rgb6x6x6-whole-t24-min0.01-v1", Load(Descriptor.Replace("SHARE", "0.01")).Colour!.Id);
        Assert.Equal("rgb6x6x6-whole-t24-min0.005-v1", Load(Descriptor.Replace("\"minBinShare\": SHARE", string.Empty)).Colour!.Id);

        // Off, it computes what rows indexed before the floor hold, under their id: they need no backfill.
        Assert.Equal("rgb6x6x6-whole-t24-v1", Load(Descriptor.Replace("SHARE", "0")).Colour!.Id);
        var refused = Assert.Throws<InvalidDataException>(() => Load(Descriptor.Replace("SHARE", "0.5")));
        Assert.Contains("minBinShare", refused.Message);
    }

    [Fact]
    public void AGemExponentOutOfRangeIsRefused()
    {
        Assert.Throws<InvalidDataException>(() => Load("""{ "id": "m", "onnxFile": "m.onnx", "input": { "name": "x" }, "output": { "name": "y", "pooling": "gem", "gemP": 0 } }"""));
    }

    [Fact]
    public void ADescriptorTurningOffL2NormalisationFailsStartUpWithTheReason()
    {
        var path = Path.Combine(_folder, "m.json");
        File.WriteAllText(path, """{ "id": "m", "onnxFile": "m.onnx", "l2Normalize": false, "input": { "name": "x" }, "output": { "name": "y" } }""");

        var loading = Assert.Throws<InvalidDataException>(() => ModelDescriptor.Load(path));
        var startUp = new ModelOptionsValidation().Validate(null, new ModelOptions { Descriptor = path });

        Assert.Contains("l2Normalize: false is not supported", loading.Message, StringComparison.Ordinal);
        Assert.True(startUp.Failed);
        Assert.Equal(loading.Message, startUp.FailureMessage);
    }

    [Fact]
    public void EveryShippedDescriptorLoadsWithUnitLengthVectors()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Functions.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The test runs outside the repository.");
        }

        var models = Path.Combine(root.FullName, "models");
        var descriptors = Directory.GetFiles(models, "*.json");

        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, d => Assert.True(ModelDescriptor.Load(d).L2Normalize, d));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ModelDescriptor Load(string json)
    {
        var path = Path.Combine(_folder, "m.json");
        File.WriteAllText(path, json);
        return ModelDescriptor.Load(path);
    }
}
