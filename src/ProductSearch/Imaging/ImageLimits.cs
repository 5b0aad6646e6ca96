using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Imaging;

/// <summary>
/// What an upload may be before we spend memory or CPU on it. Section <c>ImageLimits</c>.
/// Every uploaded image is hostile until these checks pass.
/// </summary>
public sealed class ImageLimits
{
    public const string Section = "ImageLimits";

    [Range(1, 512L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Declared width x height; a decompression bomb declares far more than its bytes hold.</summary>
    [Range(1, 1_000_000_000L)]
    public long MaxPixels { get; set; } = 40_000_000;

    [Range(1, 1_000_000)]
    public int MaxSide { get; set; } = 12_000;

    /// <summary>Formats we decode. GIF is off: ImageSharp 2.x has unfixed advisories in its GIF decoder.</summary>
    [MinLength(1)]
    public string[] AllowedFormats { get; set; } = ["jpeg", "png", "webp"];

    /// <summary>
    /// Processor time the checks and the decode of one image may use in its decoder process; far above the slowest
    /// legitimate image (docs/performance.md, <c>-- decode</c>). Time spent waiting for a decoder or a core does not
    /// count, so a refusal for time is the file's own cost and final.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
