using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProductSearch.Features;

/// <summary>
/// Everything the pipeline needs to know about a model, read from a small JSON file in <c>models/</c>:
/// the pipeline never hard-codes a model.
/// </summary>
public sealed record ModelDescriptor
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Stored with every vector; vectors of another id are never compared with this model's.</summary>
    public required string Id { get; init; }

    public string? Description { get; init; }

    /// <summary>ONNX file, relative to the descriptor's folder.</summary>
    public required string OnnxFile { get; init; }

    public required ModelInput Input { get; init; }

    public required ModelOutput Output { get; init; }

    public bool L2Normalize { get; init; } = true;

    /// <summary>Absolute path of the ONNX file, resolved when the descriptor is loaded.</summary>
    [JsonIgnore]
    public string OnnxPath { get; init; } = "";

    public static ModelDescriptor Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model descriptor '{Path.GetFullPath(path)}' does not exist.", path);
        }

        var descriptor = JsonSerializer.Deserialize<ModelDescriptor>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"Model descriptor '{path}' is empty.");
        descriptor.Validate(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return descriptor with { OnnxPath = Path.GetFullPath(Path.Combine(folder, descriptor.OnnxFile)) };
    }

    private void Validate(string path)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            errors.Add("id is required");
        }

        if (Input.Width <= 0 || Input.Height <= 0)
        {
            errors.Add("input.width and input.height must be positive");
        }

        if (Input.Mean.Length != 3 || Input.Std.Length != 3)
        {
            errors.Add("input.mean and input.std need one value per channel (3)");
        }

        if (Input.Std.Any(s => s == 0))
        {
            errors.Add("input.std must not contain 0");
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Model descriptor '{path}' is invalid: {string.Join("; ", errors)}.");
        }
    }
}

public sealed record ModelInput
{
    public required string Name { get; init; }

    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    public int Width { get; init; } = 224;

    public int Height { get; init; } = 224;

    public InputResize Resize { get; init; } = InputResize.Squash;

    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Multiplies the 0..255 pixel value before the mean is subtracted (1 for caffe mode, 1/255 for torchvision).</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Per channel, in the model's channel order.</summary>
    public float[] Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per channel, in the model's channel order.</summary>
    public float[] Std { get; init; } = [1f, 1f, 1f];
}

public sealed record ModelOutput
{
    public required string Name { get; init; }

    public Pooling Pooling { get; init; } = Pooling.Avg;

    /// <summary>Element order of a flattened map: CHW as stored by ONNX, or HWC as Keras flattens (the notebook).</summary>
    public FlattenOrder FlattenOrder { get; init; } = FlattenOrder.Chw;
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

public enum ChannelOrder
{
    Rgb,
    Bgr,
}

public enum Pooling
{
    Avg,
    Max,
    Flatten,
}

public enum FlattenOrder
{
    Chw,
    Hwc,
}
