using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Decoding;

/// <summary>
/// The decoder processes that turn untrusted bytes into pixels. Section <c>Decoder</c>. Their processor-time limit is
/// <see cref="Imaging.ImageLimits.DecodeTimeout"/>; the rest is here.
/// </summary>
public sealed class DecoderOptions : IValidatableObject
{
    public const string Section = "Decoder";

    /// <summary>Decoder processes kept running, which is also how many decodes run at once; 0 means one per core.</summary>
    [Range(0, 64)]
    public int Processes { get; set; }

    /// <summary>
    /// Memory one decoder process may hold (its data segment, set with RLIMIT_DATA on Linux; sampled and enforced by a
    /// kill elsewhere). The default holds the largest image <see cref="Imaging.ImageLimits"/> allows with its decoder's
    /// working buffers (docs/security.md).
    /// </summary>
    [Range(128, 64 * 1024)]
    public int MemoryLimitMegabytes { get; set; } = 1024;

    /// <summary>
    /// Wall time from the moment a decoder starts on an image to its answer, over the processor-time limit: a decoder
    /// that makes no progress (or a starved one) is killed here rather than held forever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan WallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The decoder processes' niceness (Linux, macOS; 0 leaves them at the app's priority): under a burst of uploads they
    /// get the cores the app's own requests leave, so by-id queries and inference stay fast.
    /// </summary>
    [Range(0, 19)]
    public int Niceness { get; set; } = 10;

    /// <summary>
    /// Whether the decoder processes compile in tiers, as .NET does by default: quickly at first, optimised once code is
    /// hot. Off by default: a fresh decoder would decode its first tens of photos with barely optimised code (a process
    /// replaced or newly scaled out decodes at that pace exactly when uploads arrive), while compiling optimised from the
    /// start costs only a slower warm-up, before the process takes its first photo.
    /// </summary>
    public bool TieredCompilation { get; set; }

    /// <summary>The decoder's entry assembly; empty means <c>ProductSearch.Decoder.dll</c> beside the app.</summary>
    public string Assembly { get; set; } = "";

    /// <summary>The process count actually used.</summary>
    public int EffectiveProcesses => Processes > 0 ? Processes : Environment.ProcessorCount;

    /// <summary>The decoder assembly actually started.</summary>
    public string EffectiveAssembly => string.IsNullOrWhiteSpace(Assembly)
        ? Path.Combine(AppContext.BaseDirectory, "ProductSearch.Decoder.dll")
        : Path.GetFullPath(Assembly, AppContext.BaseDirectory);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!File.Exists(EffectiveAssembly))
        {
            yield return new ValidationResult(
                $"The image decoder {EffectiveAssembly} is missing: it is built with the app (project ProductSearch.Decoder); set {Section}:{nameof(Assembly)} if it lives elsewhere.",
                [nameof(Assembly)]);
        }
    }
}
