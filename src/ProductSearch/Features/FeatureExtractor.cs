using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Decoding;
using ProductSearch.Imaging;
using ProductSearch.Telemetry;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Features;

/// <summary>
/// Image in, unit-length feature vector out: hostile bytes become fitted pixels in a decoder process
/// (<see cref="IPhotoDecoder"/>), which this process tensors (<see cref="Preprocessor"/>), describes the colour of, and
/// runs the model on (<see cref="Inference"/>)
/// on all cores for a lone request or on one core under concurrency, as <see cref="InferenceCoreGate"/> decides.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly IPhotoDecoder _decoder;
    private IsolatedPhotoDecoder? _ownedDecoder;

    // Threads of running inferences never outnumber the cores (two 2-thread runs on 2 cores would thrash), while
    // requests still decode and resize in parallel outside this gate.
    private readonly InferenceCoreGate _inferenceGate;

    // Extractions between their first byte read and their vector: only one alone may take every core.
    private int _inFlight;
    private readonly TimeProvider _time;

    public FeatureExtractor(ModelDescriptor model, IPhotoDecoder decoder, IOptions<ModelOptions> options, TimeProvider time, ILogger<FeatureExtractor> logger)
    {
        Model = model;
        _decoder = decoder;
        _time = time;
        if (!File.Exists(model.OnnxPath))
        {
            throw new FileNotFoundException($"The ONNX file of model '{model.Id}' is missing: {model.OnnxPath}.", model.OnnxPath);
        }

        var cores = Environment.ProcessorCount;
        var adaptive = options.Value.IntraOpThreads == 0 && cores > 1;
        var intraOp = options.Value.IntraOpThreads is > 0 and var n ? Math.Min(n, cores) : cores;
        var started = time.GetTimestamp();
        Inference = new ModelInference(model, intraOp, adaptive);
        _inferenceGate = adaptive ? new InferenceCoreGate(cores, adaptive: true) : new InferenceCoreGate(Math.Max(1, cores / intraOp), adaptive: false);
        Preprocessor = new ImagePreprocessor(model.Input);

        logger.LogInformation(
            "Loaded model {ModelId} ({Dimension}-d) from {OnnxPath} in {ElapsedMs} ms with {IntraOpThreads} intra-op threads{Concurrency}; int8 kernels: {Int8InstructionSet}",
            model.Id, Dimension, model.OnnxPath, time.GetElapsedTime(started).TotalMilliseconds, intraOp,
            adaptive ? ", or one thread per core under concurrency" : "", Int8InstructionSet.Name);
    }

    public ModelDescriptor Model { get; }

    /// <summary>
    /// An extractor with its own decoder processes and default limits, disposed with it: for tools that run the model on
    /// files outside the app's service graph (model building, calibration, benchmarks).
    /// </summary>
    public static FeatureExtractor CreateStandalone(ModelDescriptor model, ModelOptions? options = null)
    {
        var decoder = IsolatedPhotoDecoder.CreateStandalone(model.Input);
        return new FeatureExtractor(model, decoder, Options.Create(options ?? new ModelOptions()), TimeProvider.System, NullLogger<FeatureExtractor>.Instance)
        {
            _ownedDecoder = decoder,
        };
    }

    /// <summary>The fit-and-tensor stage, on its own for callers that time or feed the stages separately (benchmarks).</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>The model on a ready tensor, on its own for callers that time or feed the stages separately (benchmarks).</summary>
    internal ModelInference Inference { get; }

    public int Dimension => Inference.Dimension;

    /// <summary>Inferences run so far (a mirrored pair counts once): lets tests prove a path decodes without inference.</summary>
    public long InferenceCount => Inference.Count;

    /// <summary>Decodes hostile bytes safely, then extracts. Throws <see cref="ImageRejectedException"/> for bad images.</summary>
    public async Task<float[]> ExtractAsync(Stream image, CancellationToken cancellationToken) =>
        (await ExtractFeaturesAsync(image, cancellationToken)).Vector;

    /// <summary>The CNN vector and, when the model declares one, the colour descriptor, from one decode.</summary>
    internal Task<ImageFeatures> ExtractFeaturesAsync(Stream image, CancellationToken cancellationToken) =>
        ExtractFeaturesAsync(image, null, cancellationToken);

    /// <summary>As <see cref="ExtractFeaturesAsync(Stream, CancellationToken)"/>, with a thumbnail of the same decode when <paramref name="thumbnail"/> is given.</summary>
    internal Task<ImageFeatures> ExtractFeaturesAsync(Stream image, ThumbnailEncoding? thumbnail, CancellationToken cancellationToken) =>
        ExtractFeaturesAsync(image, thumbnail, thumbnailDecoded: null, cancellationToken);

    /// <summary>
    /// As <see cref="ExtractFeaturesAsync(Stream, ThumbnailEncoding?, CancellationToken)"/>, handing the thumbnail to
    /// <paramref name="thumbnailDecoded"/> as soon as the decoder returns it, before inference, so its upload can run meanwhile.
    /// </summary>
    internal async Task<ImageFeatures> ExtractFeaturesAsync(
        Stream image, ThumbnailEncoding? thumbnail, Action<byte[]>? thumbnailDecoded, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (thumbnail is null)
            {
                using var fitted = await _decoder.DecodeFittedAsync(image, cancellationToken);
                return await ExtractFittedAsync(fitted, cancellationToken);
            }

            using var decoded = await _decoder.DecodeFittedWithThumbnailAsync(image, thumbnail, cancellationToken);
            if (decoded.Thumbnail is { } bytes)
            {
                thumbnailDecoded?.Invoke(bytes);
            }

            return await ExtractFittedAsync(decoded.Pixels, cancellationToken) with { Thumbnail = decoded.Thumbnail };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Extracts from an image already decoded (fitted in place).</summary>
    public async Task<float[]> ExtractAsync(Image<Rgba32> image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            Preprocessor.Fit(image);
            return (await ExtractFittedAsync(image, cancellationToken)).Vector;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose()
    {
        _ownedDecoder?.Dispose();
        Inference.Dispose();
        _inferenceGate.Dispose();
    }

    // A run holds its thread for tens to hundreds of milliseconds. On pool threads, runs on every core starve a pool
    // whose minimum is the core count: a shed's timer, a by-id answer and the 503 itself then wait for the pool to add
    // a thread (about 0.5 s each time), so the runs get threads of their own.
    private static Task<float[]> OffThePoolAsync(Func<float[]> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task<ImageFeatures> ExtractFittedAsync(Image<Rgba32> image, CancellationToken cancellationToken)
    {
        using var activity = ProductSearchTelemetry.Source.StartActivity("ExtractFeatures");
        activity?.SetTag(ProductSearchTelemetry.Attributes.Model, Model.Id);
        var started = _time.GetTimestamp();
        var length = Preprocessor.TensorLength;
        var tensor = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Preprocessor.WriteTensor(image, tensor.AsSpan(0, length));
            // On the fitted image: the same pixels the model sees, and few of them.
            var colour = Model.Colour is { } options ? ColourHistogram.Describe(image, options) : null;
            var slots = await _inferenceGate.AcquireAsync(alone: Volatile.Read(ref _inFlight) == 1, cancellationToken);
            try
            {
                var allCores = _inferenceGate.IsAll(slots);
                return new ImageFeatures(await OffThePoolAsync(() => Inference.Infer(tensor.AsMemory(0, length), allCores)), colour);
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
                _time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(ProductSearchTelemetry.Attributes.Model, Model.Id));
        }
    }
}

/// <summary>
/// What one decode of an image yields: its CNN vector (empty when no inference ran), the colour descriptor when the model
/// declares one, and a JPEG thumbnail when one was asked for.
/// </summary>
internal sealed record ImageFeatures(float[] Vector, float[]? Colour, byte[]? Thumbnail = null);
