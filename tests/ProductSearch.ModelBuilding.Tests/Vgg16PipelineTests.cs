using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>The converted VGG16 through the shipped descriptors, as the app runs it.</summary>
[Collection(ConvertedVgg16Group.Name)]
public sealed class Vgg16PipelineTests(ConvertedVgg16Fixture fixture)
{
    [Theory]
    [InlineData("vgg16.json", 512)]
    [InlineData("vgg16-flatten.json", 25_088)]
    public async Task ShippedDescriptorsGiveUnitVectorsOfTheirDimension(string descriptorFile, int dimension)
    {
        using var extractor = Extractor(Descriptor(descriptorFile));
        using var image = Photo();

        var vector = await extractor.ExtractAsync(image, CancellationToken.None);

        Assert.Equal(dimension, extractor.Dimension);
        Assert.Equal(dimension, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public async Task MaxPoolingGivesA512UnitVectorOfChannelMaxima()
    {
        var descriptor = Descriptor("vgg16.json");
        using var extractor = Extractor(descriptor with { Output = descriptor.Output with { Pooling = Pooling.Max } });
        using var image = Photo();

        var vector = await extractor.ExtractAsync(image, CancellationToken.None);

        Assert.Equal(512, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.All(vector, v => Assert.True(v >= 0, "ReLU maps pooled by max are never negative"));
    }

    [Fact]
    public async Task FlattenDescriptorReproducesTheNotebookPipeline()
    {
        using var extractor = Extractor(Descriptor("vgg16-flatten.json"));
        using var image = Photo();
        var expected = NotebookVector(image);

        var vector = await extractor.ExtractAsync(image.Clone(), CancellationToken.None);

        Assert.Equal(expected.Length, vector.Length);
        for (var i = 0; i < vector.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - vector[i]) <= 1e-5, $"element {i}: {vector[i]} vs {expected[i]}");
        }
    }

    /// <summary>
    /// The notebook written out by hand: caffe preprocess_input on BGR pixels (minus the BGR means, no scaling),
    /// block5_pool, flatten in Keras' H,W,C order, L2-normalise.
    /// </summary>
    private float[] NotebookVector(Image<Rgba32> image)
    {
        float[] means = [103.939f, 116.779f, 123.68f];
        var input = new float[3 * 224 * 224];
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                var p = image[x, y];
                input[(0 * 224 * 224) + (y * 224) + x] = p.B - means[0];
                input[(1 * 224 * 224) + (y * 224) + x] = p.G - means[1];
                input[(2 * 224 * 224) + (y * 224) + x] = p.R - means[2];
            }
        }

        using var session = new InferenceSession(fixture.Fixed224OnnxPath);
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
        using var outputs = session.Run(new RunOptions(), ["input"], [tensor], ["block5_pool"]);
        var map = outputs[0].GetTensorDataAsSpan<float>();
        var flat = new float[25_088];
        for (var c = 0; c < 512; c++)
        {
            for (var position = 0; position < 49; position++)
            {
                flat[(position * 512) + c] = map[(c * 49) + position];
            }
        }

        var norm = (float)Math.Sqrt(flat.Sum(v => (double)v * v));
        return flat.Select(v => v / norm).ToArray();
    }

    private ModelDescriptor Descriptor(string file) =>
        ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", file)) with { OnnxPath = fixture.Fixed224OnnxPath };

    private static FeatureExtractor Extractor(ModelDescriptor descriptor) => FeatureExtractor.CreateStandalone(descriptor);

    /// <summary>224 x 224 already, so no resampling stands between the hand-written pipeline and ours.</summary>
    private static Image<Rgba32> Photo()
    {
        var image = new Image<Rgba32>(224, 224);
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                image[x, y] = new Rgba32((byte)(x + y), (byte)(3 * x), (byte)(255 - y), 255);
            }
        }

        return image;
    }
}
