using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>One synthetic notop file and its conversions, shared because writing and converting 59 MB takes seconds.</summary>
public sealed class ConvertedVgg16Fixture : IAsyncLifetime, IDisposable
{
    public const int Seed = 16;

    private readonly TemporaryDirectory _directory = new();

    public string WeightsPath => _directory.File("vgg16_notop_synthetic.h5");

    public string Fixed224OnnxPath => _directory.File("vgg16-notop.onnx");

    public string SymbolicOnnxPath => _directory.File("vgg16-notop-any-size.onnx");

    public string WeightsMd5 { get; private set; } = string.Empty;

    public Vgg16BuildResult Fixed224Build { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SyntheticVgg16WeightsFile.Write(WeightsPath, Seed, KerasWeightNaming.Keras1Flat);
        WeightsMd5 = await Md5Checksum.ComputeAsync(WeightsPath, CancellationToken.None);
        var build = new Vgg16ModelBuild(new KerasWeightsDownloader(new HttpClient(new UnreachableNetwork())));
        Fixed224Build = await build.RunAsync(WeightsPath, Fixed224OnnxPath, WeightsMd5, null, CancellationToken.None);
        await build.RunAsync(WeightsPath, SymbolicOnnxPath, WeightsMd5, null, CancellationToken.None, SpatialSize.Symbolic);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ConvertedVgg16Group : ICollectionFixture<ConvertedVgg16Fixture>
{
    public const string Name = "Converted synthetic VGG16";
}
