using System.Text.Json;
using System.Text.Json.Serialization;
using ProductSearch.Imaging;

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

    /// <summary>
    /// More maps pooled and appended to <see cref="Output"/>'s vector, each block L2-normalised first so every layer
    /// weighs the same (multi-layer aggregation: a middle layer keeps colour and texture, the last one the kind of product).
    /// </summary>
    public ModelOutput[] ExtraOutputs { get; init; } = [];

    /// <summary>
    /// Must stay true: the category scan ranks by -q.x, colour weighting and query expansion assume unit-length
    /// blocks, so a descriptor that turns it off is refused at load (at host start) rather than answered wrongly.
    /// </summary>
    public bool L2Normalize { get; init; } = true;

    /// <summary>
    /// Optional PCA-whitening file (see <see cref="VectorWhitening"/>), relative to the descriptor's folder: applied
    /// after pooling and L2-normalisation. Fitted without labels on a catalogue's own vectors by
    /// <c>product-search model fit-whitening</c>. Changing it changes the vectors, so change <see cref="Id"/> too.
    /// </summary>
    public string? WhiteningFile { get; init; }

    /// <summary>
    /// A colour histogram of the product's pixels, stored beside the CNN vector and weighed in at query time (the CNN
    /// features are nearly blind to colour). Null: no colour, queries are shape only.
    /// </summary>
    public ColourOptions? Colour { get; init; }

    /// <summary>Absolute path of the ONNX file, resolved when the descriptor is loaded.</summary>
    [JsonIgnore]
    public string OnnxPath { get; init; } = "";

    /// <summary>Absolute path of <see cref="WhiteningFile"/>, or null when the descriptor has none.</summary>
    [JsonIgnore]
    public string? WhiteningPath { get; init; }

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
        return descriptor with
        {
            OnnxPath = ModelFiles.Locate(folder, descriptor.OnnxFile),
            WhiteningPath = descriptor.WhiteningFile is { Length: > 0 } whitening ? ModelFiles.Locate(folder, whitening) : null,
        };
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

        foreach (var output in ExtraOutputs.Prepend(Output))
        {
            if (output.Pooling == Pooling.Gem && output.GemP is < 1 or > 20)
            {
                errors.Add($"gemP of output '{output.Name}' must be from 1 to 20");
            }

            if (output.RmacLevels is < 1 or > 5)
            {
                errors.Add($"rmacLevels of output '{output.Name}' must be from 1 to 5");
            }
        }

        if (Colour is { } colour)
        {
            errors.AddRange(colour.Validate());
        }

        if (!L2Normalize)
        {
            errors.Add("l2Normalize: false is not supported (the search, colour weighting and query expansion rank unit-length vectors): set it to true or leave it out");
        }

        if (Input.TrimTolerance is < 1 or > 128)
        {
            errors.Add("input.trimTolerance must be from 1 to 128");
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Model descriptor '{path}' is invalid: {string.Join("; ", errors)}.");
        }
    }
}

public sealed record ModelOutput
{
    public required string Name { get; init; }

    public Pooling Pooling { get; init; } = Pooling.Avg;

    /// <summary>Element order of a flattened map: CHW as stored by ONNX, or HWC as Keras flattens (the notebook).</summary>
    public FlattenOrder FlattenOrder { get; init; } = FlattenOrder.Chw;

    /// <summary>Exponent of <see cref="Pooling.Gem"/>: 1 is the average, large values approach the maximum; 3 is the usual choice.</summary>
    public float GemP { get; init; } = 3f;

    /// <summary>Scales of regions of <see cref="Pooling.Rmac"/> (3 as in Tolias et al.).</summary>
    public int RmacLevels { get; init; } = 3;
}

public enum Pooling
{
    Avg,
    Max,
    Flatten,

    /// <summary>Generalised mean per channel, (mean of x^p)^(1/p) (Radenović et al., 2018).</summary>
    Gem,

    /// <summary>Regional maximum activations: sum of L2-normalised max-pooled regions at several scales (Tolias et al., 2016).</summary>
    Rmac,
}

public enum FlattenOrder
{
    Chw,
    Hwc,
}
