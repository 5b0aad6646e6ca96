using Onnx;
using static ProductSearch.ModelBuilding.OnnxGraphParts;

namespace ProductSearch.ModelBuilding;

/// <summary>
/// Builds the VGG16 convolutional base as an ONNX graph (NCHW) from Keras weights, keeping the Keras layer names
/// as node names so the graph reads like the Keras model summary.
/// </summary>
public static class Vgg16OnnxBuilder
{
    public const string InputName = "input";
    public const string OutputName = "block5_pool";
    public const string BatchSymbol = "N";

    // Opset 13 has every operator used here unchanged since; IR 8 is well inside what ONNX Runtime 1.x loads.
    public const int OpsetVersion = 13;
    public const long IrVersion = 8;

    public static ModelProto Build(IReadOnlyList<KerasLayerWeights> layers, SpatialSize spatialSize = SpatialSize.Fixed224)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var byName = layers.ToDictionary(layer => layer.LayerName, StringComparer.Ordinal);
        var graph = new GraphProto { Name = "vgg16_notop" };

        var current = InputName;
        var channels = Vgg16Architecture.InputChannels;
        foreach (var block in Vgg16Architecture.Blocks)
        {
            foreach (var layerName in block.ConvolutionLayerNames)
            {
                var layer = byName.GetValueOrDefault(layerName)
                    ?? throw new InvalidDataException($"The weights file has no layer '{layerName}' (layers: {string.Join(", ", byName.Keys)}).");
                current = AddConvolutionWithRelu(graph, layer, current, channels, block.Channels);
                channels = block.Channels;
            }

            graph.Node.Add(Node("MaxPool", block.PoolLayerName, [current], block.PoolLayerName,
                Ints("kernel_shape", Vgg16Architecture.PoolSize, Vgg16Architecture.PoolSize),
                Ints("strides", Vgg16Architecture.PoolSize, Vgg16Architecture.PoolSize)));
            current = block.PoolLayerName;
        }

        graph.Input.Add(InputInfo(spatialSize));
        graph.Output.Add(OutputInfo(spatialSize));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ProductSearch.ModelBuilding",
            DocString = "VGG16 convolutional base (Keras applications, include_top=False), converted from Keras HDF5 weights.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        return model;
    }

    private static string AddConvolutionWithRelu(GraphProto graph, KerasLayerWeights layer, string input, int inputChannels, int outputChannels)
    {
        if (layer.Weights.Count != 2)
        {
            throw new InvalidDataException($"Layer '{layer.LayerName}' has {layer.Weights.Count} weights, expected kernel and bias.");
        }

        var (kernel, bias) = (layer.Weights[0], layer.Weights[1]);
        var k = Vgg16Architecture.KernelSize;
        ExpectShape(layer.LayerName, kernel, k, k, inputChannels, outputChannels);
        ExpectShape(layer.LayerName, bias, outputChannels);

        var kernelName = $"{layer.LayerName}/kernel";
        var biasName = $"{layer.LayerName}/bias";
        graph.Initializer.Add(FloatInitializer(kernelName,
            ConvolutionKernel.HwioToOihw(kernel.Values, k, k, inputChannels, outputChannels), outputChannels, inputChannels, k, k));
        graph.Initializer.Add(FloatInitializer(biasName, bias.Values, outputChannels));

        var preActivation = $"{layer.LayerName}/BiasAdd";
        graph.Node.Add(Node("Conv", layer.LayerName, [input, kernelName, biasName], preActivation,
            Ints("kernel_shape", k, k),
            Ints("strides", 1, 1),
            Ints("pads", 1, 1, 1, 1),
            Ints("dilations", 1, 1)));
        graph.Node.Add(Node("Relu", $"{layer.LayerName}/Relu", [preActivation], layer.LayerName));
        return layer.LayerName;
    }

    private static void ExpectShape(string layerName, KerasWeightTensor tensor, params int[] expected)
    {
        if (!tensor.Shape.SequenceEqual(expected))
        {
            throw new InvalidDataException(
                $"Weight '{tensor.Name}' of layer '{layerName}' has shape ({string.Join(", ", tensor.Shape)}), expected ({string.Join(", ", expected)}).");
        }
    }

    private static ValueInfoProto InputInfo(SpatialSize spatialSize) => spatialSize == SpatialSize.Symbolic
        ? FloatTensorInfo(InputName, Dim(BatchSymbol), Dim(Vgg16Architecture.InputChannels), Dim("H"), Dim("W"))
        : FloatTensorInfo(InputName, Dim(BatchSymbol), Dim(Vgg16Architecture.InputChannels),
            Dim(Vgg16Architecture.InputSize), Dim(Vgg16Architecture.InputSize));

    private static ValueInfoProto OutputInfo(SpatialSize spatialSize)
    {
        var outputSize = Vgg16Architecture.OutputSize(Vgg16Architecture.InputSize);
        return spatialSize == SpatialSize.Symbolic
            ? FloatTensorInfo(OutputName, Dim(BatchSymbol), Dim(Vgg16Architecture.OutputChannels), UnknownDim(), UnknownDim())
            : FloatTensorInfo(OutputName, Dim(BatchSymbol), Dim(Vgg16Architecture.OutputChannels), Dim(outputSize), Dim(outputSize));
    }
}
