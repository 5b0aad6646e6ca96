using System.Numerics.Tensors;

namespace ProductSearch.Features;

/// <summary>Reduces the model's output map (N,C,H,W) to one vector: global average, max, generalised mean, R-MAC, or flatten.</summary>
internal sealed class FeaturePooling
{
    // Keeps x^p finite and differentiable at 0 for GeM, as in the reference implementation.
    private const float GemEpsilon = 1e-6f;

    private readonly ModelOutput _output;
    private readonly RmacRegion[] _regions = [];

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
        if (output.Pooling == Pooling.Rmac)
        {
            var height = dimensions.Length > 2 ? dimensions[2] : 1;
            var width = dimensions.Length > 3 ? dimensions[3] : 1;
            _regions = [.. RmacRegion.Grid(height, width, output.RmacLevels)];
        }
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
            case Pooling.Gem:
                GeneralisedMean(map, vector);
                break;
            case Pooling.Rmac:
                RegionalMax(map, vector);
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

    private void GeneralisedMean(ReadOnlySpan<float> map, Span<float> vector)
    {
        var p = _output.GemP;
        for (var c = 0; c < Channels; c++)
        {
            var channel = map.Slice(c * Positions, Positions);
            var sum = 0.0;
            if (p == 3f)
            {
                // The usual p: a multiply is far cheaper than Pow and this runs C x H x W times per image.
                foreach (var value in channel)
                {
                    var x = Math.Max(value, GemEpsilon);
                    sum += x * x * x;
                }
            }
            else
            {
                foreach (var value in channel)
                {
                    sum += MathF.Pow(Math.Max(value, GemEpsilon), p);
                }
            }

            vector[c] = (float)Math.Pow(sum / Positions, 1.0 / p);
        }
    }

    private void RegionalMax(ReadOnlySpan<float> map, Span<float> vector)
    {
        vector.Clear();
        // One region's vector at a time; a few KiB at most, so the stack is fine (and nothing is allocated per image).
        Span<float> region = Channels <= 4096 ? stackalloc float[Channels] : new float[Channels];
        var width = _regions.Length > 0 ? _regions[0].MapWidth : 1;
        foreach (var r in _regions)
        {
            for (var c = 0; c < Channels; c++)
            {
                var channel = map.Slice(c * Positions, Positions);
                var max = float.NegativeInfinity;
                for (var y = r.Top; y < r.Top + r.Height; y++)
                {
                    max = Math.Max(max, TensorPrimitives.Max(channel.Slice((y * width) + r.Left, r.Width)));
                }

                region[c] = max;
            }

            var norm = TensorPrimitives.Norm(region);
            if (norm > 0)
            {
                // Each region votes with the same weight, whatever its activation strength.
                TensorPrimitives.MultiplyAdd(region, 1f / norm, vector, vector);
            }
        }
    }
}
