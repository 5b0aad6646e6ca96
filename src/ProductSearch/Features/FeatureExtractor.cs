using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Features;

/// <summary>
/// Image in, unit-length feature vector out. Holds the process's one <see cref="InferenceSession"/>
/// (creation costs hundreds of milliseconds and the weights' memory; <c>Run</c> is thread-safe).
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly SafeImageLoader _loader;
    private readonly ImagePreprocessor _preprocessor;
    private readonly long[] _inputShape;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly FeaturePooling _pooling;

    // intra-op threads x concurrent runs never exceeds the cores: two 2-thread inferences on 2 cores
    // would thrash, while requests still decode and resize in parallel outside this gate.
    private readonly SemaphoreSlim _inferenceGate;

    public FeatureExtractor(ModelDescriptor model, SafeImageLoader loader, IOptions<ModelOptions> options, ILogger<FeatureExtractor> logger)
    {
        Model = model;
        _loader = loader;
        if (!File.Exists(model.OnnxPath))
        {
            throw new FileNotFoundException($"The ONNX file of model '{model.Id}' is missing: {model.OnnxPath}.", model.OnnxPath);
        }

        var cores = Environment.ProcessorCount;
        var intraOp = options.Value.IntraOpThreads is > 0 and var n ? Math.Min(n, cores) : cores;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOp,
            InterOpNumThreads = 1,
        };
        // Idle spinning burns billed CPU between requests and steals it from decoding on a 2-core instance.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        _session = new InferenceSession(model.OnnxPath, sessionOptions);
        _inferenceGate = new SemaphoreSlim(Math.Max(1, cores / intraOp));

        _preprocessor = new ImagePreprocessor(model.Input);
        _inputShape = model.Input.Layout == TensorLayout.Nchw
            ? [1, 3, model.Input.Height, model.Input.Width]
            : [1, model.Input.Height, model.Input.Width, 3];
        _inputNames = [RequireName(_session.InputMetadata.Keys, model.Input.Name, "input")];
        _outputNames = [RequireName(_session.OutputMetadata.Keys, model.Output.Name, "output")];
        _pooling = new FeaturePooling(model.Output, _session.OutputMetadata[model.Output.Name].Dimensions);
        logger.LogInformation(
            "Loaded model {ModelId} ({Dimension}-d) from {OnnxPath} in {ElapsedMs} ms with {IntraOpThreads} intra-op threads",
            model.Id, Dimension, model.OnnxPath, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, intraOp);
    }

    public ModelDescriptor Model { get; }

    public int Dimension => _pooling.Dimension;

    /// <summary>Decodes hostile bytes safely, then extracts. Throws <see cref="ImageRejectedException"/> for bad images.</summary>
    public async Task<float[]> ExtractAsync(Stream image, CancellationToken cancellationToken)
    {
        using var decoded = await _loader.LoadAsync(image, cancellationToken);
        return await ExtractAsync(decoded, cancellationToken);
    }

    /// <summary>Extracts from a decoded image (resized in place).</summary>
    public async Task<float[]> ExtractAsync(Image<Rgba32> image, CancellationToken cancellationToken)
    {
        var tensor = ArrayPool<float>.Shared.Rent(_preprocessor.TensorLength);
        try
        {
            _preprocessor.Preprocess(image, tensor.AsSpan(0, _preprocessor.TensorLength));
            await _inferenceGate.WaitAsync(cancellationToken);
            try
            {
                return Infer(tensor.AsMemory(0, _preprocessor.TensorLength));
            }
            finally
            {
                _inferenceGate.Release();
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
        }
    }

    /// <summary>Runs the model on a ready tensor: the inference-only path that benchmarks compare against.</summary>
    public float[] Infer(Memory<float> tensor)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor, _inputShape);
        using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
        var map = outputs[0].GetTensorDataAsSpan<float>();
        var vector = new float[Dimension];
        _pooling.Pool(map, outputs[0].GetTensorTypeAndShape().Shape, vector);
        if (Model.L2Normalize)
        {
            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }
        }

        return vector;
    }

    public int TensorLength => _preprocessor.TensorLength;

    public void Preprocess(Image<Rgba32> image, Span<float> tensor) => _preprocessor.Preprocess(image, tensor);

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _inferenceGate.Dispose();
    }

    private static string RequireName(IEnumerable<string> names, string wanted, string kind)
    {
        var all = names.ToList();
        return all.Contains(wanted)
            ? wanted
            : throw new InvalidDataException($"The model has no {kind} named '{wanted}'; it has: {string.Join(", ", all)}.");
    }
}
