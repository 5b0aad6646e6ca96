using PureHDF;
using PureHDF.VOL.Native;

namespace ProductSearch.ModelBuilding;

/// <summary>
/// Reads a Keras HDF5 weights file through its own index: the root attribute <c>layer_names</c> lists the layers,
/// each layer group's <c>weight_names</c> lists its datasets (paths relative to the group), in order.
/// </summary>
public static class KerasWeightsReader
{
    private const string LayerNamesAttribute = "layer_names";
    private const string WeightNamesAttribute = "weight_names";

    // Files written by model.save() keep the same layout under this group.
    private const string FullModelWeightsGroup = "model_weights";

    public static IReadOnlyList<KerasLayerWeights> Read(string filePath)
    {
        using var file = H5File.OpenRead(filePath);
        var root = FindWeightsRoot(file, filePath);
        var layers = new List<KerasLayerWeights>();
        foreach (var layerName in ReadStrings(root, LayerNamesAttribute))
        {
            if (!root.LinkExists(layerName))
            {
                throw new InvalidDataException($"'{filePath}' lists layer '{layerName}' in {LayerNamesAttribute} but has no group for it.");
            }

            var layerGroup = root.Group(layerName);
            var weightNames = layerGroup.AttributeExists(WeightNamesAttribute) ? ReadStrings(layerGroup, WeightNamesAttribute) : [];
            var weights = weightNames.Select(name => ReadTensor(layerGroup, layerName, name, filePath)).ToList();
            layers.Add(new KerasLayerWeights(layerName, weights));
        }

        return layers;
    }

    private static IH5Group FindWeightsRoot(NativeFile file, string filePath)
    {
        if (file.AttributeExists(LayerNamesAttribute))
        {
            return file;
        }

        if (file.LinkExists(FullModelWeightsGroup) && file.Group(FullModelWeightsGroup).AttributeExists(LayerNamesAttribute))
        {
            return file.Group(FullModelWeightsGroup);
        }

        throw new InvalidDataException($"'{filePath}' is not a Keras weights file: no '{LayerNamesAttribute}' attribute at its root.");
    }

    private static string[] ReadStrings(IH5Object owner, string attributeName)
    {
        var attribute = owner.Attribute(attributeName);

        // Keras writes an empty list (h5py turns it into a zero-length float array) for layers without weights.
        if (attribute.Space.Type == H5DataspaceType.Null || attribute.Space.Dimensions.Any(d => d == 0))
        {
            return [];
        }

        // h5py stores numpy bytes arrays as fixed-length, NUL-padded strings, but Python lists of bytes as variable-length ones.
        if (attribute.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
        {
            throw new InvalidDataException($"Attribute '{attributeName}' holds {attribute.Type.Class}, expected strings.");
        }

        return [.. attribute.Read<string[]>().Select(value => value.TrimEnd('\0', ' '))];
    }

    private static KerasWeightTensor ReadTensor(IH5Group layerGroup, string layerName, string weightName, string filePath)
    {
        if (!layerGroup.LinkExists(weightName))
        {
            throw new InvalidDataException($"'{filePath}': layer '{layerName}' lists weight '{weightName}' but has no such dataset.");
        }

        var dataset = layerGroup.Dataset(weightName);
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size != sizeof(float))
        {
            throw new InvalidDataException(
                $"'{filePath}': weight '{layerName}/{weightName}' is {dataset.Type.Class} of {dataset.Type.Size} bytes, expected float32.");
        }

        var shape = dataset.Space.Dimensions.Select(d => checked((int)d)).ToArray();
        return new KerasWeightTensor(weightName, shape, dataset.Read<float[]>());
    }
}
