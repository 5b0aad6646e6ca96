using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.ModelBuilding.Tests;

[Collection(ConvertedVgg16Group.Name)]
public sealed class Vgg16ConversionTests(ConvertedVgg16Fixture fixture)
{
    // 13 kernels and biases of the VGG16 convolutional base; Keras' model.summary() says the same.
    private const long Vgg16NotopParameters = 14_714_688;

    [Fact]
    public void ModelDeclaresNchwInputAndBlock5PoolOutputWithSymbolicBatch()
    {
        using var runner = new OnnxRunner(fixture.Fixed224OnnxPath);

        var input = Assert.Single(runner.Session.InputMetadata);
        var output = Assert.Single(runner.Session.OutputMetadata);

        Assert.Equal("input", input.Key);
        Assert.Equal(TensorElementType.Float, input.Value.ElementDataType);
        Assert.Equal([-1, 3, 224, 224], input.Value.Dimensions);
        Assert.Equal("N", input.Value.SymbolicDimensions[0]);
        Assert.Equal("block5_pool", output.Key);
        Assert.Equal([-1, 512, 7, 7], output.Value.Dimensions);
    }

    [Fact]
    public void OneImageAt224GivesA512By7By7FeatureMap()
    {
        using var runner = new OnnxRunner(fixture.Fixed224OnnxPath);
        var image = Enumerable.Range(0, 3 * 224 * 224).Select(i => (float)((i * 7919 % 255) - 120)).ToArray();

        var (values, shape) = runner.Run(image, [1, 3, 224, 224], "block5_pool")["block5_pool"];

        Assert.Equal([1, 512, 7, 7], shape);
        Assert.All(values, value => Assert.True(float.IsFinite(value)));
        Assert.Contains(values, value => value > 0);
    }

    [Fact]
    public void ConvolutionAndPoolNodesKeepTheKerasLayerNames()
    {
        var model = OnnxModelFile.Read(fixture.Fixed224OnnxPath);

        Assert.Equal(
            SyntheticVgg16WeightsFile.ConvolutionLayers.Select(layer => layer.Name),
            model.Graph.Node.Where(node => node.OpType == "Conv").Select(node => node.Name));
        Assert.Equal(
            ["block1_pool", "block2_pool", "block3_pool", "block4_pool", "block5_pool"],
            model.Graph.Node.Where(node => node.OpType == "MaxPool").Select(node => node.Name));
        Assert.Equal(13, model.Graph.Node.Count(node => node.OpType == "Relu"));
        Assert.Equal(13, Assert.Single(model.OpsetImport).Version);
    }

    [Fact]
    public void KernelsAreStoredAsOihw()
    {
        var model = OnnxModelFile.Read(fixture.Fixed224OnnxPath);

        var kernel = model.Graph.Initializer.Single(tensor => tensor.Name == "block2_conv1/kernel");

        Assert.Equal([128L, 64, 3, 3], kernel.Dims);
        Assert.Equal((int)TensorProto.Types.DataType.Float, kernel.DataType);
    }

    [Fact]
    public void BuildCountsEveryVgg16Parameter()
    {
        Assert.Equal(Vgg16NotopParameters, fixture.Fixed224Build.ParameterCount);
        Assert.Equal(fixture.WeightsMd5, fixture.Fixed224Build.WeightsMd5);
    }

    [Fact]
    public void BatchOfTwoGivesEachImageItsOwnFeatures()
    {
        using var runner = new OnnxRunner(fixture.SymbolicOnnxPath);
        var first = Enumerable.Range(0, 3 * 32 * 32).Select(i => (float)(i % 97)).ToArray();
        var second = Enumerable.Range(0, 3 * 32 * 32).Select(i => (float)(i % 89) - 40).ToArray();

        var batch = runner.Run([.. first, .. second], [2, 3, 32, 32], "block5_pool")["block5_pool"];
        var alone = runner.Run(second, [1, 3, 32, 32], "block5_pool")["block5_pool"];

        Assert.Equal([2, 512, 1, 1], batch.Shape);
        Assert.Equal(alone.Values, batch.Values[512..], new ToleranceComparer(1e-4f));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1f, Math.Abs(y));

        public int GetHashCode(float obj) => 0;
    }
}
