using Onnx;

namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>
/// Measures the activation ranges the int8 model is quantised over. It hands out a copy of the prepared model that
/// returns every tensor to measure; the caller runs it (this library does not depend on ONNX Runtime) on
/// representative images and passes each input and output to <see cref="Observe"/>.
/// </summary>
public sealed class ActivationCalibrator
{
    private readonly QuantizationOptions _options;
    private readonly Dictionary<string, TensorStatistics> _statistics;

    /// <param name="prepared">The output of <see cref="OnnxInt8Quantizer.Prepare"/>.</param>
    public ActivationCalibrator(ModelProto prepared, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        _options = options ?? new QuantizationOptions();
        TensorNames = QuantizationPlan.For(prepared.Graph).CalibratedTensors;
        _statistics = TensorNames.ToDictionary(
            t => t, _ => new TensorStatistics(_options.Method == CalibrationMethod.Percentile), StringComparer.Ordinal);

        var inputs = prepared.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        InputNames = [.. TensorNames.Where(inputs.Contains)];
        OutputNames = [.. TensorNames.Where(t => !inputs.Contains(t))];
        var calibration = prepared.Clone();
        var declared = calibration.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in OutputNames.Where(n => !declared.Contains(n)))
        {
            // Only the element type: the stored shapes may be stale, and ONNX Runtime infers them anyway.
            calibration.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        CalibrationModel = calibration;
    }

    /// <summary>Every tensor whose range is measured.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>Measured tensors that are graph inputs: observe the tensor fed to the model under this name.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The outputs to request from <see cref="CalibrationModel"/> on each run.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The prepared model with <see cref="OutputNames"/> added to its outputs.</summary>
    public ModelProto CalibrationModel { get; }

    public int Runs { get; private set; }

    public void Observe(string tensorName, ReadOnlySpan<float> values)
    {
        var statistics = _statistics.GetValueOrDefault(tensorName)
            ?? throw new ArgumentException($"'{tensorName}' is not a calibrated tensor.", nameof(tensorName));
        statistics.Observe(values);
    }

    /// <summary>Counts one image as seen; call after observing its input and outputs.</summary>
    public void CompleteRun() => Runs++;

    public IReadOnlyDictionary<string, ActivationRange> Ranges()
    {
        if (Runs == 0)
        {
            throw new InvalidOperationException("No calibration run was completed; observe at least one image first.");
        }

        return _statistics.ToDictionary(p => p.Key, p => p.Value.Range(_options.Method, _options.Percentile), StringComparer.Ordinal);
    }
}
