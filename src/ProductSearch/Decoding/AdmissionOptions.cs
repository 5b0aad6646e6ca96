using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Decoding;

/// <summary>
/// How many photos may be decoded at once, and how much memory they may hold, before a photo search is shed with a
/// 503 instead of queued (docs/configuration.md#admission). Section <c>Admission</c>; 0 means worked out from the
/// instance (<see cref="DecodeAdmission"/>).
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Photos admitted at once (decoding, or holding their bytes for the next free decoder); 0 means twice the decoder processes.</summary>
    [Range(0, 1024)]
    public int MaxPhotos { get; set; }

    /// <summary>The memory the admitted photos may hold; 0 means the instance's memory less <see cref="ReservedMegabytes"/>.</summary>
    [Range(0, 1024 * 1024)]
    public int MemoryBudgetMegabytes { get; set; }

    /// <summary>The instance's memory; 0 means detected (cgroup limit, <c>WEBSITE_MEMORY_LIMIT_MB</c>, or the machine's).</summary>
    [Range(0, 1024 * 1024)]
    public int InstanceMemoryMegabytes { get; set; }

    /// <summary>What the rest of the app needs beside the decodes: the worker's steady state (model, caches) and the idle decoders.</summary>
    [Range(0, 1024 * 1024)]
    public int ReservedMegabytes { get; set; } = 640;

    /// <summary>
    /// How long a photo search waits for admission before it is answered 503 with <c>Retry-After</c>. Indexing waits
    /// as long as it takes: a busy instance makes an upload slower, never refused. Short, so that a shed client hears
    /// "busy" well within the time a shed may take even on a loaded host (docs/performance.md, "Overload").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(1);
}
