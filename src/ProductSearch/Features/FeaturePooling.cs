using System.Numerics.Tensors;

namespace ProductSearch.Features;

/// <summary>Reduces the model's output map (N,C,H,W) to one vector: global average, global max, or flatten.</summary>
internal sealed class FeaturePooling
{
    private readonly ModelOutput _output;

    public FeaturePooling(ModelOutput output, int[] dimensions)
    {
        _output = output;
        if (dimensions.Length < 2 || dimensions.Skip(1).Any(d => d <= 0))
        {
            throw new InvalidDataException(
                $"Output '{output.Name}' needs a fixed shape (N,C[,H,W]); the model declares [{string.Join(",", dimensions)}].");
        }

        Channels = dimensions[1];
        Positions = dimensions.Skip(2).Aggregate(1, (a, b) => a * b);
        Dimension = output.Pooling == Pooling.Flatten ? Channels * Positions : Channels;
    }

    public int Channels { get; }

    /// <summary>Spatial positions per channel (H x W).</summary>
    public int Positions { get; }

    public int Dimension { get; }

    public void Pool(ReadOnlySpan<float> map, long[] shape, Span<float> vector)
    {
        if (map.Length != Channels * Positions)
        {
            throw new InvalidDataException(
                $"Output '{_output.Name}' has {map.Length} values with shape [{string.Join(",", shape)}]; expected {Channels * Positions}.");
        }

        switch (_output.Pooling)
        {
            case Pooling.Avg:
                for (var c = 0; c < Channels; c++)
                {
                    vector[c] = TensorPrimitives.Sum(map.Slice(c * Positions, Positions)) / Positions;
                }

                break;
            case Pooling.Max:
                for (var c = 0; c < Channels; c++)
                {
                    vector[c] = TensorPrimitives.Max(map.Slice(c * Positions, Positions));
                }

                break;
            case Pooling.Flatten when _output.FlattenOrder == FlattenOrder.Chw:
                map.CopyTo(vector);
                break;
            case Pooling.Flatten:
                // Keras flattens its NHWC map: position-major, channel-minor.
                for (var c = 0; c < Channels; c++)
                {
                    var channel = map.Slice(c * Positions, Positions);
                    for (var p = 0; p < Positions; p++)
                    {
                        vector[(p * Channels) + c] = channel[p];
                    }
                }

                break;
            default:
                throw new InvalidDataException($"Unknown pooling '{_output.Pooling}'.");
        }
    }
}
