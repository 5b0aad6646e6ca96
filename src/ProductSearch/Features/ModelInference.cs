using System.Buffers;
using System.Numerics.Tensors;
using ProductSearch.Imaging;

namespace ProductSearch.Features;

/// <summary>
/// A ready input tensor in, the model's unit-length vector out: runs the sessions, pools each output (unit blocks when
/// there are several), averages with the mirrored view when the descriptor asks, whitens, normalises. The stage after
/// <see cref="ImagePreprocessor"/>, and what benchmarks time when they measure inference alone.
/// </summary>
internal sealed class ModelInference : IDisposable
{
    private readonly ModelSessions _sessions;
    private readonly ModelInput _input;
    private readonly FeaturePooling[] _poolings; // one per output, in the descriptor's order
    private readonly int _pooledDimension;
    private readonly VectorWhitening? _whitening;
    private long _inferences;

    internal ModelInference(ModelDescriptor model, int intraOpThreads, bool adaptive)
    {
        // A descriptor may name tensors inside the graph (the last convolutional map, to pool it our way).
        ModelOutput[] outputs = [model.Output, .. model.ExtraOutputs];
        _sessions = new ModelSessions(model, outputs, intraOpThreads, adaptive);
        _input = model.Input;
        _poolings = [.. outputs.Select(o => new FeaturePooling(o, _sessions.OutputShape(o.Name)))];
        _pooledDimension = _poolings.Sum(p => p.Dimension);
        _whitening = model.WhiteningPath is null ? null : VectorWhitening.Load(model.WhiteningPath);
        if (_whitening is not null && _whitening.InputDimension != _pooledDimension)
        {
            _sessions.Dispose();
            throw new InvalidDataException(
                $"Whitening file {model.WhiteningPath} takes {_whitening.InputDimension}-d vectors; model '{model.Id}' pools {_pooledDimension}-d.");
        }
    }

    public int Dimension => _whitening?.OutputDimension ?? _pooledDimension;

    /// <summary>Inferences run so far (a mirrored pair counts once).</summary>
    public long Count => Interlocked.Read(ref _inferences);

    /// <summary>Runs the model on a ready tensor, on all its threads.</summary>
    public float[] Infer(Memory<float> tensor) => Infer(tensor, allCores: true);

    internal float[] Infer(Memory<float> tensor, bool allCores)
    {
        Interlocked.Increment(ref _inferences);
        var pooled = new float[_pooledDimension];
        RunAndPool(tensor, allCores, pooled);
        if (_input.AverageWithMirror)
        {
            AddMirrorAndAverage(tensor.Span, allCores, pooled);
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

    public void Dispose() => _sessions.Dispose();

    private void RunAndPool(Memory<float> tensor, bool allCores, Span<float> pooled)
    {
        using var outputs = _sessions.Run(tensor, allCores);
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

    private void AddMirrorAndAverage(ReadOnlySpan<float> tensor, bool allCores, Span<float> pooled)
    {
        var mirrored = ArrayPool<float>.Shared.Rent(tensor.Length);
        var mirroredPooled = ArrayPool<float>.Shared.Rent(pooled.Length);
        try
        {
            TensorMirror.FlipHorizontally(tensor, mirrored.AsSpan(0, tensor.Length), _input.Layout, _input.Width, _input.Height);
            var other = mirroredPooled.AsSpan(0, pooled.Length);
            RunAndPool(mirrored.AsMemory(0, tensor.Length), allCores, other);
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

    // Descriptors always normalise (ModelDescriptor refuses l2Normalize: false), so the search may assume unit length.
    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
