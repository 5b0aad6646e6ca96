namespace ProductSearch.ModelBuilding;

/// <summary>A layer of a Keras weights file with its weights in <c>weight_names</c> order (for Conv2D: kernel, then bias).</summary>
public sealed record KerasLayerWeights(string LayerName, IReadOnlyList<KerasWeightTensor> Weights);
