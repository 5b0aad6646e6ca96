using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.ModelBuilding;
using ProductSearch.ModelBuilding.Quantization;

namespace ProductSearch.Tooling.Quantization;

/// <summary>
/// A descriptor's ONNX model as static int8, calibrated on photos: the model-building library rewrites the graph and
/// keeps the ranges; running the model over the photos (decoded in decoder processes and preprocessed as the indexer
/// does) is done here, where ONNX Runtime is at hand.
/// </summary>
public static class ModelQuantization
{
    /// <summary>Every k-th of <paramref name="photos"/>, at most <paramref name="count"/>: a sorted folder still gives every category its say in the ranges.</summary>
    public static IReadOnlyList<string> Sample(IReadOnlyList<string> photos, int count)
    {
        var step = Math.Max(1, photos.Count / count);
        return [.. photos.Where((_, i) => i % step == 0).Take(count)];
    }

    /// <summary>Calibrates on <paramref name="photos"/> and writes the int8 model to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The model could not be read, run or quantised.</exception>
    public static async Task QuantizeAsync(
        ModelDescriptor descriptor, IReadOnlyList<string> photos, QuantizationOptions options, string output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var prepared = OnnxInt8Quantizer.Prepare(OnnxModelFile.Read(descriptor.OnnxPath));
        var calibrator = new ActivationCalibrator(prepared, options);
        try
        {
            await CalibrateAsync(calibrator, descriptor.Input, photos, progress, cancellationToken);
        }
        catch (OnnxRuntimeException error)
        {
            throw new InvalidDataException(error.Message, error);
        }

        await OnnxModelFile.WriteAsync(OnnxInt8Quantizer.Quantize(prepared, calibrator.Ranges(), options), output, cancellationToken);
    }

    private static async Task CalibrateAsync(
        ActivationCalibrator calibrator, ModelInput input, IReadOnlyList<string> photos, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var decoder = IsolatedPhotoDecoder.CreateStandalone(input);
        var preprocessor = new ImagePreprocessor(input);
        long[] shape = input.Layout == TensorLayout.Nchw ? [1, 3, input.Height, input.Width] : [1, input.Height, input.Width, 3];
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(calibrator.CalibrationModel.ToByteArray(), sessionOptions);
        using var runOptions = new RunOptions();
        string[] outputs = [.. calibrator.OutputNames];
        var tensor = new float[preprocessor.TensorLength];
        var done = 0;
        foreach (var photo in photos)
        {
            await using (var file = File.OpenRead(photo))
            using (var image = await decoder.DecodeFittedAsync(file, cancellationToken))
            {
                preprocessor.WriteTensor(image, tensor);
            }

            if (calibrator.InputNames.Contains(input.Name))
            {
                calibrator.Observe(input.Name, tensor);
            }

            using var value = OrtValue.CreateTensorValueFromMemory(tensor, shape);
            using var results = session.Run(runOptions, [input.Name], [value], outputs);
            for (var i = 0; i < outputs.Length; i++)
            {
                calibrator.Observe(outputs[i], results[i].GetTensorDataAsSpan<float>());
            }

            calibrator.CompleteRun();
            progress?.Report(++done);
        }
    }
}
