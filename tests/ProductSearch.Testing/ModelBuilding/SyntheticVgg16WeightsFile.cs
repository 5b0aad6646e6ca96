using PureHDF;

namespace ProductSearch.Testing.ModelBuilding;

/// <summary>
/// Writes an HDF5 file laid out like Keras' VGG16 notop weights (same layer names, attributes, shapes, float32),
/// with seeded He-initialised weights so activations neither explode nor vanish through 13 layers.
/// </summary>
public static class SyntheticVgg16WeightsFile
{
    public static readonly (string Name, int Inputs, int Outputs)[] ConvolutionLayers =
    [
        ("block1_conv1", 3, 64), ("block1_conv2", 64, 64),
        ("block2_conv1", 64, 128), ("block2_conv2", 128, 128),
        ("block3_conv1", 128, 256), ("block3_conv2", 256, 256), ("block3_conv3", 256, 256),
        ("block4_conv1", 256, 512), ("block4_conv2", 512, 512), ("block4_conv3", 512, 512),
        ("block5_conv1", 512, 512), ("block5_conv2", 512, 512), ("block5_conv3", 512, 512),
    ];

    /// <summary>The layer order of the published file: the input layer, then each block's convolutions and pool.</summary>
    public static IReadOnlyList<string> KerasLayerOrder { get; } =
    [
        "input_1",
        .. ConvolutionLayers.GroupBy(layer => layer.Name[..6])
            .SelectMany(block => block.Select(layer => layer.Name).Append($"{block.Key}_pool")),
    ];

    public static string KernelPath(string layer, KerasWeightNaming naming) => naming == KerasWeightNaming.Keras1Flat
        ? $"{layer}/{layer}_W_1:0"
        : $"{layer}/{layer}/kernel:0";

    public static string BiasPath(string layer, KerasWeightNaming naming) => naming == KerasWeightNaming.Keras1Flat
        ? $"{layer}/{layer}_b_1:0"
        : $"{layer}/{layer}/bias:0";

    /// <param name="layerOrder">The layers listed in <c>layer_names</c>; names not in <see cref="ConvolutionLayers"/> get no weights.</param>
    public static void Write(string path, int seed, KerasWeightNaming naming, IReadOnlyList<string>? layerOrder = null)
    {
        var random = new Random(seed);
        var layers = layerOrder ?? KerasLayerOrder;
        var file = new H5File();
        file.Attributes["layer_names"] = layers.ToArray();
        file.Attributes["backend"] = "tensorflow";
        file.Attributes["keras_version"] = naming == KerasWeightNaming.Keras1Flat ? "1.2.2" : "2.2.4";

        foreach (var name in layers)
        {
            var convolution = ConvolutionLayers.SingleOrDefault(layer => layer.Name == name);
            file[name] = convolution.Name is null
                ? new H5Group { Attributes = new() { ["weight_names"] = Array.Empty<double>() } }
                : ConvolutionGroup(convolution.Name, convolution.Inputs, convolution.Outputs, naming, random);
        }

        // Keras (through h5py) stores the name lists as fixed-length byte strings.
        file.Write(path, new H5WriteOptions(DefaultStringLength: 32));
    }

    private static H5Group ConvolutionGroup(string layer, int inputs, int outputs, KerasWeightNaming naming, Random random)
    {
        var heScale = Math.Sqrt(2.0 / (3 * 3 * inputs));
        var kernel = new H5Dataset(Normal(random, 3 * 3 * inputs * outputs, heScale), fileDims: [3, 3, (ulong)inputs, (ulong)outputs]);
        var bias = Normal(random, outputs, 0.05);
        var kernelName = KernelPath(layer, naming)[(layer.Length + 1)..];
        var biasName = BiasPath(layer, naming)[(layer.Length + 1)..];
        var group = new H5Group { Attributes = new() { ["weight_names"] = new[] { kernelName, biasName } } };
        if (naming == KerasWeightNaming.Keras1Flat)
        {
            group[kernelName] = kernel;
            group[biasName] = bias;
        }
        else
        {
            group[layer] = new H5Group { ["kernel:0"] = kernel, ["bias:0"] = bias };
        }

        return group;
    }

    private static float[] Normal(Random random, int count, double scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller: two uniforms give one standard normal.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }

        return values;
    }
}
