namespace ProductSearch.Imaging;

/// <summary>
/// The <c>input</c> section of a model descriptor: how a decoded image becomes the model's input tensor. It lives beside
/// the code that reads it (<see cref="ImagePreprocessor"/>), so imaging needs nothing from the feature layer above it.
/// </summary>
public sealed record ModelInput
{
    public required string Name { get; init; }

    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    public int Width { get; init; } = 224;

    public int Height { get; init; } = 224;

    public InputResize Resize { get; init; } = InputResize.Squash;

    /// <summary>How pixels are interpolated when resizing.</summary>
    public ResizeSampler Sampler { get; init; } = ResizeSampler.Triangle;

    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Multiplies the 0..255 pixel value before the mean is subtracted (1 for caffe mode, 1/255 for torchvision).</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Per channel, in the model's channel order.</summary>
    public float[] Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per channel, in the model's channel order.</summary>
    public float[] Std { get; init; } = [1f, 1f, 1f];

    /// <summary>Crops the uniform border of studio shots before resizing, so the product fills the input.</summary>
    public BackgroundTrim TrimBackground { get; init; } = BackgroundTrim.Off;

    /// <summary>How far (0..255, per channel) a pixel may differ from the border colour and still be background.</summary>
    public int TrimTolerance { get; init; } = 24;

    /// <summary>
    /// Runs the model on the image and on its horizontal mirror and averages the two pooled vectors: a product
    /// photographed facing left or right then gets the same vector. Costs a second inference.
    /// </summary>
    public bool AverageWithMirror { get; init; }
}

public enum TensorLayout
{
    Nchw,
    Nhwc,
}

public enum InputResize
{
    /// <summary>Stretch to the input size, ignoring the aspect ratio (the notebook's way).</summary>
    Squash,

    /// <summary>Scale the short side to the input size, then cut the centre.</summary>
    CenterCrop,
}

public enum ResizeSampler
{
    /// <summary>Bilinear, widened to the scale when shrinking so every source pixel counts (antialiased).</summary>
    Triangle,

    /// <summary>OpenCV's INTER_LINEAR: the four source pixels around each output pixel, whatever the scale (not antialiased).</summary>
    Linear,
}

public enum ChannelOrder
{
    Rgb,
    Bgr,
}

public enum BackgroundTrim
{
    Off,

    /// <summary>Crop to the bounding box of the pixels that differ from the border colour.</summary>
    Tight,

    /// <summary>As <see cref="Tight"/>, then widen the box to the input's aspect ratio (padding with the border colour), so squashing does not distort.</summary>
    KeepAspect,
}
