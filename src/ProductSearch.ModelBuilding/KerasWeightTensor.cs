namespace ProductSearch.ModelBuilding;

/// <summary>One weight array of a Keras layer, in the file's own layout (row-major, Keras dimension order).</summary>
public sealed record KerasWeightTensor(string Name, IReadOnlyList<int> Shape, float[] Values);
