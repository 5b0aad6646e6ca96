using ProductSearch.Testing.ModelBuilding;
using PureHDF;

namespace ProductSearch.ModelBuilding.Tests;

[Collection(ConvertedVgg16Group.Name)]
public sealed class KerasWeightsReaderTests(ConvertedVgg16Fixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void LayersAreReadInLayerNamesOrderWithoutStringPadding()
    {
        var path = fixture.WeightsPath;

        var layers = KerasWeightsReader.Read(path);

        Assert.Equal(SyntheticVgg16WeightsFile.KerasLayerOrder, layers.Select(layer => layer.LayerName));
    }

    [Fact]
    public void StoredNamesAreFixedLengthStringsLikeKerasWrites()
    {
        var path = fixture.WeightsPath;

        using var file = H5File.OpenRead(path);
        var layerNames = file.Attribute("layer_names");

        Assert.Equal(H5DataTypeClass.String, layerNames.Type.Class);
        Assert.Equal(32, (int)layerNames.Type.Size);
    }

    [Fact]
    public void InputAndPoolingLayersHaveNoWeights()
    {
        var path = fixture.WeightsPath;

        var layers = KerasWeightsReader.Read(path).ToDictionary(layer => layer.LayerName);

        Assert.Empty(layers["input_1"].Weights);
        Assert.Empty(layers["block3_pool"].Weights);
    }

    [Theory]
    [InlineData(KerasWeightNaming.Keras1Flat)]
    [InlineData(KerasWeightNaming.Keras2Nested)]
    public void ConvolutionWeightsComeFromTheDatasetsNamedInWeightNames(KerasWeightNaming naming)
    {
        var path = naming == KerasWeightNaming.Keras1Flat ? fixture.WeightsPath : _directory.File("keras2.h5");
        if (naming != KerasWeightNaming.Keras1Flat)
        {
            SyntheticVgg16WeightsFile.Write(path, seed: 2, naming);
        }

        float[] expectedKernel;
        using (var file = H5File.OpenRead(path))
        {
            expectedKernel = file.Dataset(SyntheticVgg16WeightsFile.KernelPath("block2_conv1", naming)).Read<float[]>();
        }

        var layer = KerasWeightsReader.Read(path).Single(layer => layer.LayerName == "block2_conv1");

        Assert.Equal([3, 3, 64, 128], layer.Weights[0].Shape);
        Assert.Equal([128], layer.Weights[1].Shape);
        Assert.Equal(expectedKernel, layer.Weights[0].Values);
    }

    [Fact]
    public void FileWrittenByH5pyTheWayKerasSavesIsRead()
    {
        var layers = KerasWeightsReader.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "h5py-keras-layout.h5"));

        Assert.Equal(["input_1", "block1_conv1", "block1_pool"], layers.Select(layer => layer.LayerName));
        Assert.Empty(layers[0].Weights);
        Assert.Empty(layers[2].Weights);
        var (kernel, bias) = (layers[1].Weights[0], layers[1].Weights[1]);
        Assert.Equal("block1_conv1/kernel:0", kernel.Name);
        Assert.Equal([3, 3, 3, 2], kernel.Shape);
        Assert.Equal(Enumerable.Range(0, 54).Select(i => (float)i), kernel.Values);
        Assert.Equal([0.5f, -0.5f], bias.Values);
    }

    [Fact]
    public void FileWithoutLayerNamesIsRejected()
    {
        var path = _directory.File("not-keras.h5");
        new H5File { ["data"] = new float[] { 1, 2, 3 } }.Write(path);

        var error = Assert.Throws<InvalidDataException>(() => KerasWeightsReader.Read(path));

        Assert.Contains("no 'layer_names' attribute", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
