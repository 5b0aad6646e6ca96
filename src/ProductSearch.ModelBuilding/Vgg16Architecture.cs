namespace ProductSearch.ModelBuilding;

/// <summary>The VGG16 convolutional base (Simonyan and Zisserman, configuration D) as Keras names it.</summary>
public static class Vgg16Architecture
{
    public const int InputChannels = 3;
    public const int InputSize = 224;
    public const int KernelSize = 3;
    public const int PoolSize = 2;

    public static IReadOnlyList<Vgg16Block> Blocks { get; } =
    [
        new(1, 64, 2),
        new(2, 128, 2),
        new(3, 256, 3),
        new(4, 512, 3),
        new(5, 512, 3),
    ];

    public static int OutputChannels => Blocks[^1].Channels;

    /// <summary>Each block halves the spatial size: 224 becomes 7.</summary>
    public static int OutputSize(int inputSize) => inputSize >> Blocks.Count;
}
