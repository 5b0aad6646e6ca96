using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using ProductSearch.Imaging;
using ProductSearch.Telemetry;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Features;

/// <summary>
/// Image in, unit-length feature vector out. Holds the process's inference sessions (creation costs hundreds of
/// milliseconds and the weights' memory; <c>Run</c> is thread-safe): by default one on all cores for a lone request
/// and one single-threaded for concurrent requests, chosen per run by <see cref="InferenceCoreGate"/>.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly InferenceSession _singleThreaded; // the same session as _session unless the gate is adaptive
    private readonly PrePackedWeightsContainer _sharedWeights = new();
    private readonly RunOptions _runOptions = new();
    private readonly SafeImageLoader _loader;
    private readonly ImagePreprocessor _preprocessor;
    private readonly long[] _inputShape;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly FeaturePooling[] _poolings; // one per output, in _outputNames order
    private readonly int _pooledDimension;
    private readonly VectorWhitening? _whitening;

    // Threads of running inferences never outnumber the cores (two 2-thread runs on 2 cores would thrash), while
    // requests still decode and resize in parallel outside this gate.
    private readonly InferenceCoreGate _inferenceGate;

    // Extractions between their first byte read and their vector: only one alone may take every core.
    private int _inFlight;
    private long _inferences;

    public FeatureExtractor(ModelDescriptor model, SafeImageLoader loader, IOptions<ModelOptions> options, ILogger<FeatureExtractor> logger)
    {
        Model = model;
        _loader = loader;
        if (!File.Exists(model.OnnxPath))
        {
            throw new FileNotFoundException($"The ONNX file of model '{model.Id}' is missing: {model.OnnxPath}.", model.OnnxPath);
        }

        var cores = Environment.ProcessorCount;
        var adaptive = options.Value.IntraOpThreads == 0 && cores > 1;
        var intraOp = options.Value.IntraOpThreads is > 0 and var n ? Math.Min(n, cores) : cores;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // A descriptor may name tensors inside the graph (the last convolutional map, to pool it our way).
        ModelOutput[] outputs = [model.Output, .. model.ExtraOutputs];
        using var allCores = CreateSessionOptions(intraOp);
        using var oneCore = CreateSessionOptions(1);
        var sessions = CreateSessions(model, outputs, adaptive ? [allCores, oneCore] : [allCores], _sharedWeights);
        _session = sessions[0];
        _singleThreaded = sessions[^1];
        _inferenceGate = adaptive ? new InferenceCoreGate(cores, adaptive: true) : new InferenceCoreGate(Math.Max(1, cores / intraOp), adaptive: false);

        _preprocessor = new ImagePreprocessor(model.Input);
        _inputShape = model.Input.Layout == TensorLayout.Nchw
            ? [1, 3, model.Input.Height, model.Input.Width]
            : [1, model.Input.Height, model.Input.Width, 3];
        _inputNames = [RequireName(_session.InputMetadata.Keys, model.Input.Name, "input")];
        _outputNames = [.. outputs.Select(o => RequireName(_session.OutputMetadata.Keys, o.Name, "output"))];
        _poolings = [.. outputs.Select(o => new FeaturePooling(o, OutputShape(o.Name)))];
        _pooledDimension = _poolings.Sum(p => p.Dimension);
        _whitening = model.WhiteningPath is null ? null : VectorWhitening.Load(model.WhiteningPath);
        if (_whitening is not null && _whitening.InputDimension != _pooledDimension)
        {
            throw new InvalidDataException(
                $"Whitening file {model.WhiteningPath} takes {_whitening.InputDimension}-d vectors; model '{model.Id}' pools {_pooledDimension}-d.");
        }

        logger.LogInformation(
            "Loaded model {ModelId} ({Dimension}-d) from {OnnxPath} in {ElapsedMs} ms with {IntraOpThreads} intra-op threads{Concurrency}",
            model.Id, Dimension, model.OnnxPath, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, intraOp,
            adaptive ? ", or one thread per core under concurrency" : "");
    }

    public ModelDescriptor Model { get; }

    public int Dimension => _whitening?.OutputDimension ?? _pooledDimension;

    /// <summary>Inferences run so far (a mirrored pair counts once): lets tests prove a path decodes without inference.</summary>
    public long InferenceCount => Interlocked.Read(ref _inferences);

    /// <summary>Decodes hostile bytes safely, then extracts. Throws <see cref="ImageRejectedException"/> for bad images.</summary>
    public async Task<float[]> ExtractAsync(Stream image, CancellationToken cancellationToken) =>
        (await ExtractFeaturesAsync(image, cancellationToken)).Vector;

    /// <summary>The CNN vector and, when the model declares one, the colour descriptor, from one decode.</summary>
    public async Task<ImageFeatures> ExtractFeaturesAsync(Stream image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var decoded = await _loader.LoadAsync(image, cancellationToken);
            return await ExtractDecodedAsync(decoded, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Extracts from a decoded image (resized in place).</summary>
    public async Task<float[]> ExtractAsync(Image<Rgba32> image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return (await ExtractDecodedAsync(image, cancellationToken)).Vector;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// The colour descriptor alone, with no inference: decodes, trims and resizes exactly as extraction does, so a
    /// backfill fills colour into rows indexed before it existed. Null when the model declares no colour.
    /// </summary>
    public async Task<float[]?> DescribeColourAsync(Stream image, CancellationToken cancellationToken)
    {
        if (Model.Colour is null)
        {
            return null;
        }

        using var decoded = await _loader.LoadAsync(image, cancellationToken);
        _preprocessor.Fit(decoded);
        return DescribeColour(decoded);
    }

    // On the preprocessed image (trimmed and resized to the input size): the same pixels the model saw, and few of them.
    private float[]? DescribeColour(Image<Rgba32> preprocessed)
    {
        if (Model.Colour is not { } colour)
        {
            return null;
        }

        var descriptor = new float[colour.Dimension];
        ColourHistogram.Compute(preprocessed, colour, descriptor);
        return descriptor;
    }

    private async Task<ImageFeatures> ExtractDecodedAsync(Image<Rgba32> image, CancellationToken cancellationToken)
    {
        using var activity = ProductSearchTelemetry.Source.StartActivity("ExtractFeatures");
        activity?.SetTag(ProductSearchTelemetry.Attributes.Model, Model.Id);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var tensor = ArrayPool<float>.Shared.Rent(_preprocessor.TensorLength);
        try
        {
            _preprocessor.Preprocess(image, tensor.AsSpan(0, _preprocessor.TensorLength));
            var colour = DescribeColour(image);
            var slots = await _inferenceGate.AcquireAsync(alone: Volatile.Read(ref _inFlight) == 1, cancellationToken);
            try
            {
                return new ImageFeatures(Infer(tensor.AsMemory(0, _preprocessor.TensorLength), _inferenceGate.IsAll(slots) ? _session : _singleThreaded), colour);
            }
            finally
            {
                _inferenceGate.Release(slots);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tensor);
            ProductSearchTelemetry.ExtractionDuration.Record(
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Model, Model.Id));
        }
    }

    /// <summary>Runs the model on a ready tensor, on all its threads: the inference-only path that benchmarks compare against.</summary>
    public float[] Infer(Memory<float> tensor) => Infer(tensor, _session);

    private float[] Infer(Memory<float> tensor, InferenceSession session)
    {
        Interlocked.Increment(ref _inferences);
        var pooled = new float[_pooledDimension];
        RunAndPool(session, tensor, pooled);
        if (Model.Input.AverageWithMirror)
        {
            AddMirrorAndAverage(session, tensor.Span, pooled);
        }

        Normalize(pooled);
        if (_whitening is null)
        {
            return pooled;
        }

        var whitened = new float[_whitening.OutputDimension];
        _whitening.Apply(pooled, whitened);
        Normalize(whitened);
        return whitened;
    }

    public int TensorLength => _preprocessor.TensorLength;

    /// <summary>
    /// One run on a blank tensor of the session a lone query uses, not counted as an inference: ONNX Runtime allocates
    /// on a session's first run, which would otherwise fall on the first photo query. The single-threaded session is
    /// left to the first concurrent query: warming it too doubles the CPU a cold start spends before its first answers.
    /// </summary>
    public void WarmUp() => RunAndPool(_session, new float[TensorLength], new float[_pooledDimension]);

    public void Preprocess(Image<Rgba32> image, Span<float> tensor) => _preprocessor.Preprocess(image, tensor);

    public void Dispose()
    {
        _session.Dispose();
        if (_singleThreaded != _session)
        {
            _singleThreaded.Dispose();
        }

        _sharedWeights.Dispose();
        _runOptions.Dispose();
        _inferenceGate.Dispose();
    }

    private static SessionOptions CreateSessionOptions(int intraOpThreads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        // Idle spinning burns billed CPU between requests and steals it from decoding on a 2-core instance.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    // The file as it is when it fits the descriptor (existing descriptors start exactly as before); else the graph is
    // patched in memory, which costs a parse of the file and a second session creation, once per process. Sessions
    // of one model share their pre-packed weights.
    private static InferenceSession[] CreateSessions(
        ModelDescriptor model, ModelOutput[] outputs, SessionOptions[] options, PrePackedWeightsContainer sharedWeights)
    {
        var first = new InferenceSession(model.OnnxPath, options[0], sharedWeights);
        var declaredInput = first.InputMetadata.TryGetValue(model.Input.Name, out var input) ? input.Dimensions : [];
        var (h, w) = model.Input.Layout == TensorLayout.Nchw ? (2, 3) : (1, 2);
        var inputFits = declaredInput.Length != 4
            || ((declaredInput[h] <= 0 || declaredInput[h] == model.Input.Height) && (declaredInput[w] <= 0 || declaredInput[w] == model.Input.Width));
        if (inputFits && outputs.All(o => first.OutputMetadata.ContainsKey(o.Name)))
        {
            return [first, .. options.Skip(1).Select(o => new InferenceSession(model.OnnxPath, o, sharedWeights))];
        }

        first.Dispose();
        var patched = OnnxIntermediateOutput.Expose(model.OnnxPath, [.. outputs.Select(o => o.Name)], model.Input);
        return [.. options.Select(o => patched is null ? new InferenceSession(model.OnnxPath, o, sharedWeights) : new InferenceSession(patched, o, sharedWeights))];
    }

    // A resized input leaves the map's shape to be computed at run time: one run on a blank image tells it.
    private int[] OutputShape(string name)
    {
        var declared = _session.OutputMetadata[name].Dimensions;
        if (declared.Length >= 2 && declared.Skip(1).All(d => d > 0))
        {
            return declared;
        }

        var blank = new float[_inputShape.Aggregate(1L, (a, b) => a * b)];
        using var input = OrtValue.CreateTensorValueFromMemory(blank, _inputShape);
        using var outputs = _session.Run(_runOptions, _inputNames, [input], [name]);
        return [.. outputs[0].GetTensorTypeAndShape().Shape.Select(d => (int)d)];
    }

    private void RunAndPool(InferenceSession session, Memory<float> tensor, Span<float> pooled)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor, _inputShape);
        using var outputs = session.Run(_runOptions, _inputNames, [input], _outputNames);
        var offset = 0;
        for (var i = 0; i < _poolings.Length; i++)
        {
            var block = pooled.Slice(offset, _poolings[i].Dimension);
            _poolings[i].Pool(outputs[i].GetTensorDataAsSpan<float>(), outputs[i].GetTensorTypeAndShape().Shape, block);
            if (_poolings.Length > 1)
            {
                // Layers differ in scale by orders of magnitude; unit blocks give each the same say in the distance.
                Normalize(block);
            }

            offset += block.Length;
        }
    }

    private void AddMirrorAndAverage(InferenceSession session, ReadOnlySpan<float> tensor, Span<float> pooled)
    {
        var mirrored = ArrayPool<float>.Shared.Rent(tensor.Length);
        var mirroredPooled = ArrayPool<float>.Shared.Rent(pooled.Length);
        try
        {
            TensorMirror.FlipHorizontally(tensor, mirrored.AsSpan(0, tensor.Length), Model.Input.Layout, Model.Input.Width, Model.Input.Height);
            var other = mirroredPooled.AsSpan(0, pooled.Length);
            RunAndPool(session, mirrored.AsMemory(0, tensor.Length), other);
            // A true mean, so an un-normalised descriptor keeps the scale of one view.
            TensorPrimitives.Add(pooled, other, pooled);
            TensorPrimitives.Multiply(pooled, 0.5f, pooled);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(mirrored);
            ArrayPool<float>.Shared.Return(mirroredPooled);
        }
    }

    private void Normalize(Span<float> vector)
    {
        if (!Model.L2Normalize)
        {
            return;
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    private static string RequireName(IEnumerable<string> names, string wanted, string kind)
    {
        var all = names.ToList();
        return all.Contains(wanted)
            ? wanted
            : throw new InvalidDataException($"The model has no {kind} named '{wanted}'; it has: {string.Join(", ", all)}.");
    }
}

/// <summary>What one decode of an image yields: its CNN vector and, when the model declares one, its colour descriptor.</summary>
public sealed record ImageFeatures(float[] Vector, float[]? Colour);
