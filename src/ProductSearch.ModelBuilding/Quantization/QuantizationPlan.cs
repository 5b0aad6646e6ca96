using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>
/// Which activation tensors get a QuantizeLinear/DequantizeLinear pair, and whose calibrated range each uses. The pairs
/// sit where ONNX Runtime's QDQ fusion looks for them: on every Conv input and output (after its ReLU, which the
/// runtime then drops because a zero point of 0 already clips at zero), on Add inputs and output (QLinearAdd), and
/// around MaxPool with its input's range, which lets the runtime pool the uint8 values directly.
/// </summary>
internal sealed class QuantizationPlan
{
    private readonly Dictionary<string, string> _rangeSource = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    private QuantizationPlan()
    {
    }

    /// <summary>Each quantised tensor, in graph order, mapped to the calibrated tensor whose range it takes.</summary>
    public IReadOnlyDictionary<string, string> RangeSource => _rangeSource;

    public IReadOnlyList<string> Tensors => _order;

    /// <summary>The tensors whose ranges calibration must measure.</summary>
    public IReadOnlyList<string> CalibratedTensors => [.. _order.Where(t => _rangeSource[t] == t)];

    /// <summary>The Conv nodes whose weights become per-channel int8.</summary>
    public IReadOnlyList<NodeProto> Convolutions { get; private set; } = [];

    public static QuantizationPlan For(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var plan = new QuantizationPlan();
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input.Distinct().Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);

        // A Conv or Add output read only by a ReLU is quantised after the ReLU: the pair then bounds the fused result.
        string AfterRelu(string tensor) => !outputs.Contains(tensor) && consumers[tensor].ToList() is [{ OpType: "Relu" } relu]
            ? relu.Output[0]
            : tensor;

        void Mark(string tensor, string? source = null)
        {
            if (!initializers.Contains(tensor) && plan._rangeSource.TryAdd(tensor, source ?? tensor))
            {
                plan._order.Add(tensor);
            }
        }

        var convolutions = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv" when node.Input.Count >= 2 && initializers.Contains(node.Input[1]):
                    Mark(node.Input[0]);
                    Mark(AfterRelu(node.Output[0]));
                    convolutions.Add(node);
                    break;
                case "Add" when node.Input.All(i => !initializers.Contains(i)):
                    Mark(node.Input[0]);
                    Mark(node.Input[1]);
                    Mark(AfterRelu(node.Output[0]));
                    break;
                case "MaxPool" when plan._rangeSource.TryGetValue(node.Input[0], out var source):
                    // Same scale and zero point in and out: max commutes with the quantisation, so no requantising.
                    Mark(node.Output[0], source);
                    break;
            }
        }

        plan.Convolutions = convolutions;
        return plan;
    }
}
