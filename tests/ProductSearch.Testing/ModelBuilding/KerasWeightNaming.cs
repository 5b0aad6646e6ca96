namespace ProductSearch.Testing.ModelBuilding;

/// <summary>How a Keras version names a layer's weights inside its group.</summary>
public enum KerasWeightNaming
{
    /// <summary>Keras 1 (the published notop file): flat datasets <c>block1_conv1_W_1:0</c>, <c>block1_conv1_b_1:0</c>.</summary>
    Keras1Flat,

    /// <summary>Keras 2: nested datasets <c>block1_conv1/kernel:0</c>, <c>block1_conv1/bias:0</c>.</summary>
    Keras2Nested,
}
