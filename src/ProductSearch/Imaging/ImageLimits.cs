using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Imaging;

/// <summary>
/// What an upload may be before we spend memory or CPU on it. Section <c>ImageLimits</c>.
/// Every uploaded image is hostile until these checks pass.
/// </summary>
public sealed class ImageLimits : IValidatableObject
{
    public const string Section = "ImageLimits";

    [Range(1, 512L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Declared width x height; a decompression bomb declares far more than its bytes hold.</summary>
    [Range(1, 1_000_000_000L)]
    public long MaxPixels { get; set; } = 40_000_000;

    [Range(1, 1_000_000)]
    public int MaxSide { get; set; } = 12_000;

    /// <summary>The formats a shop may upload when it sets none. GIF is off: ImageSharp 2.x has unfixed advisories in its GIF decoder.</summary>
    public static IReadOnlyList<string> DefaultFormats { get; } = ["jpeg", "png", "webp"];

    /// <summary>The formats this app can decode, one of which every name in <see cref="AllowedFormats"/> must be.</summary>
    public static IReadOnlyList<string> KnownFormats { get; } = ["jpeg", "jpg", "png", "webp", "gif"];

    /// <summary>
    /// Formats we decode; empty means <see cref="DefaultFormats"/>. Empty rather than initialised to the defaults
    /// because the configuration binder appends to an array it finds: a shop's list must replace the defaults, so
    /// that it can narrow them as well as widen them.
    /// </summary>
    public string[] AllowedFormats { get; set; } = [];

    /// <summary>
    /// Processor time the checks and the decode of one image may use in its decoder process; far above the slowest
    /// legitimate image (docs/performance.md, <c>-- decode</c>). Time spent waiting for a decoder or a core does not
    /// count, so a refusal for time is the file's own cost and final.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The formats decoded: the configured ones, or the defaults.</summary>
    public IReadOnlyList<string> DecodedFormats() => AllowedFormats.Length > 0 ? AllowedFormats : DefaultFormats;

    /// <summary>An unknown format name fails start-up with the name, not every upload afterwards.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AllowedFormats
            .Where(name => !KnownFormats.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase))
            .Select(name => new ValidationResult(
                $"Image format '{name}' is not one this app decodes; choose from {string.Join(", ", KnownFormats)}.", [nameof(AllowedFormats)]));
}
