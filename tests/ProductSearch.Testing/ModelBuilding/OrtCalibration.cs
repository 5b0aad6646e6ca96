using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using ProductSearch.ModelBuilding.Quantization;

namespace ProductSearch.Testing.ModelBuilding;

/// <summary>Runs a model in ONNX Runtime: the calibration loop the library leaves to its caller, and plain inference.</summary>
public static class OrtCalibration
{
    public static void Calibrate(ActivationCalibrator calibrator, string inputName, long[] shape, IEnumerable<float[]> inputs)
    {
        ArgumentNullException.ThrowIfNull(calibrator);
        using var session = new InferenceSession(calibrator.CalibrationModel.ToByteArray());
        using var runOptions = new RunOptions();
        string[] outputs = [.. calibrator.OutputNames];
        foreach (var input in inputs)
        {
            if (calibrator.InputNames.Contains(inputName))
            {
                calibrator.Observe(inputName, input);
            }

            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var results = session.Run(runOptions, [inputName], [value], outputs);
            for (var i = 0; i < outputs.Length; i++)
            {
                calibrator.Observe(outputs[i], results[i].GetTensorDataAsSpan<float>());
            }

            calibrator.CompleteRun();
        }
    }

    public static float[] Run(ModelProto model, string inputName, string outputName, float[] input, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var session = new InferenceSession(model.ToByteArray());
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(runOptions, [inputName], [value], [outputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
