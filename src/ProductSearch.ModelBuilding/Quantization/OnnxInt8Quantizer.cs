using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>
/// Static int8 quantisation in QDQ form: per-channel symmetric Conv weights in 7 bits (so that CPUs without VNNI
/// compute them exactly too, see <see cref="QuantizationOptions.FullRangeWeights"/>), uint8 activations over calibrated
/// ranges. The graph keeps its float interface and tensor names (each quantised tensor's name now belongs to its
/// DequantizeLinear output), so descriptors, exposed intermediate outputs and pooling work unchanged; ONNX Runtime
/// fuses the pairs into QLinearConv/QLinearAdd int8 kernels when it loads the model.
/// </summary>
/// <remarks>Use: <see cref="Prepare"/>, calibrate with <see cref="ActivationCalibrator"/>, then <see cref="Quantize"/>.</remarks>
public static class OnnxInt8Quantizer
{
    /// <summary>The float model the calibration runs and the quantisation rewrites: batch norm folded, opset 13+.</summary>
    public static ModelProto Prepare(ModelProto model) => ModelPreparation.Prepare(model);

    /// <param name="prepared">The output of <see cref="Prepare"/> (not changed).</param>
    /// <param name="ranges">The calibrated range of every tensor in <see cref="ActivationCalibrator.TensorNames"/>.</param>
    public static ModelProto Quantize(ModelProto prepared, IReadOnlyDictionary<string, ActivationRange> ranges, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(ranges);
        options ??= new QuantizationOptions();
        var model = prepared.Clone();
        var graph = model.Graph;
        var plan = QuantizationPlan.For(graph);
        var parameters = plan.Tensors.ToDictionary(t => t, t => ranges.TryGetValue(plan.RangeSource[t], out var range)
            ? range.ToUInt8()
            : throw new ArgumentException($"No calibrated range for tensor '{plan.RangeSource[t]}'.", nameof(ranges)), StringComparer.Ordinal);

        var writer = new QdqGraphWriter(graph, parameters, options);
        writer.Rewrite(plan);
        var weights = options.FullRangeWeights ? "full-range int8 weights (exact only with VNNI)" : "7-bit int8 weights";
        model.DocString = $"{prepared.DocString} Static int8 QDQ quantisation ({options.Method} calibration), per-channel {weights}.".Trim();
        return model;
    }
}
