namespace ProductSearch.ModelBuilding;

/// <summary>One VGG16 block: <see cref="Convolutions"/> 3x3 convolutions with ReLU, then a 2x2 max pool; Keras layer names.</summary>
public sealed record Vgg16Block(int Number, int Channels, int Convolutions)
{
    public IEnumerable<string> ConvolutionLayerNames =>
        Enumerable.Range(1, Convolutions).Select(i => $"block{Number}_conv{i}");

    public string PoolLayerName => $"block{Number}_pool";
}
