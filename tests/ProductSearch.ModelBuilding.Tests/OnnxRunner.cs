using Microsoft.ML.OnnxRuntime;

namespace ProductSearch.ModelBuilding.Tests;

/// <summary>Runs an ONNX model in ONNX Runtime on one float input and returns named float outputs with their shapes.</summary>
public sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRunner(string modelPath) => _session = new InferenceSession(modelPath);

    public OnnxRunner(byte[] model) => _session = new InferenceSession(model);

    public InferenceSession Session => _session;

    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> Run(float[] input, long[] shape, params string[] outputs)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [Vgg16OnnxBuilder.InputName], [inputValue], outputs);
        return outputs.Zip(results).ToDictionary(
            pair => pair.First,
            pair => (pair.Second.GetTensorDataAsSpan<float>().ToArray(), pair.Second.GetTensorTypeAndShape().Shape));
    }

    public void Dispose() => _session.Dispose();
}
