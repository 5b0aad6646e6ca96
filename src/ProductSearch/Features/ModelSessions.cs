using Microsoft.ML.OnnxRuntime;
using ProductSearch.Decoding;
using ProductSearch.Imaging;

namespace ProductSearch.Features;

/// <summary>
/// The process's ONNX Runtime sessions of one model (creation costs hundreds of milliseconds and the weights' memory;
/// <c>Run</c> is thread-safe): one on all cores and, when the core gate is adaptive, one single-threaded sharing its
/// pre-packed weights, created on the first run that needs it: a cold start then builds only the session a lone first
/// query uses, and leaves the cores to the category load (docs/performance.md, "Cold start"). Opens the file as it is
/// when it fits the descriptor, else a graph patched in memory that exposes the descriptor's intermediate outputs at
/// its input size.
/// </summary>
internal sealed class ModelSessions : IDisposable
{
    private readonly InferenceSession _allCores;
    private readonly Lazy<InferenceSession>? _oneCore; // null unless adaptive: _allCores then serves every run
    private readonly PrePackedWeightsContainer _sharedWeights = new();
    private readonly RunOptions _runOptions = new();
    private readonly long[] _inputShape;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public ModelSessions(ModelDescriptor model, IReadOnlyList<ModelOutput> outputs, int intraOpThreads, bool adaptive)
    {
        using var allCores = CreateSessionOptions(intraOpThreads);
        var (session, patched) = CreateSession(model, outputs, allCores, _sharedWeights);
        _allCores = session;
        if (adaptive)
        {
            _oneCore = new(() =>
            {
                using var oneCore = CreateSessionOptions(1);
                var session = patched is null ? new InferenceSession(model.OnnxPath, oneCore, _sharedWeights) : new InferenceSession(patched, oneCore, _sharedWeights);
                NativeHeap.Trim();
                return session;
            });
        }

        // Building a session parses and optimises the whole graph in native memory it then frees.
        NativeHeap.Trim();

        _inputShape = model.Input.Layout == TensorLayout.Nchw
            ? [1, 3, model.Input.Height, model.Input.Width]
            : [1, model.Input.Height, model.Input.Width, 3];
        _inputNames = [RequireName(_allCores.InputMetadata.Keys, model.Input.Name, "input")];
        _outputNames = [.. outputs.Select(o => RequireName(_allCores.OutputMetadata.Keys, o.Name, "output"))];
    }

    /// <summary>Runs the model on a ready tensor; the outputs come in the order of the descriptor's outputs.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(Memory<float> tensor, bool allCores)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensor, _inputShape);
        return (allCores || _oneCore is null ? _allCores : _oneCore.Value).Run(_runOptions, _inputNames, [input], _outputNames);
    }

    // A resized input leaves the map's shape to be computed at run time: one run on a blank image tells it.
    public int[] OutputShape(string name)
    {
        var declared = _allCores.OutputMetadata[name].Dimensions;
        if (declared.Length >= 2 && declared.Skip(1).All(d => d > 0))
        {
            return declared;
        }

        var blank = new float[_inputShape.Aggregate(1L, (a, b) => a * b)];
        using var input = OrtValue.CreateTensorValueFromMemory(blank, _inputShape);
        using var outputs = _allCores.Run(_runOptions, _inputNames, [input], [name]);
        return [.. outputs[0].GetTensorTypeAndShape().Shape.Select(d => (int)d)];
    }

    public void Dispose()
    {
        _allCores.Dispose();
        if (_oneCore is { IsValueCreated: true })
        {
            _oneCore.Value.Dispose();
        }

        _sharedWeights.Dispose();
        _runOptions.Dispose();
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

    // The file as it is when it fits the descriptor (existing descriptors start exactly as before); else the graph
    // patched in memory (one parse of the file per process), returned for the single-threaded session. Whether it fits
    // is read from the file's header, so no session is created only to ask. Sessions of one model share their
    // pre-packed weights.
    private static (InferenceSession Session, byte[]? Patched) CreateSession(
        ModelDescriptor model, IReadOnlyList<ModelOutput> outputs, SessionOptions options, PrePackedWeightsContainer sharedWeights)
    {
        var patched = OnnxIntermediateOutput.Expose(model.OnnxPath, [.. outputs.Select(o => o.Name)], model.Input);
        return patched is null
            ? (new InferenceSession(model.OnnxPath, options, sharedWeights), null)
            : (new InferenceSession(patched, options, sharedWeights), patched);
    }

    private static string RequireName(IEnumerable<string> names, string wanted, string kind)
    {
        var all = names.ToList();
        return all.Contains(wanted)
            ? wanted
            : throw new InvalidDataException($"The model has no {kind} named '{wanted}'; it has: {string.Join(", ", all)}.");
    }
}
