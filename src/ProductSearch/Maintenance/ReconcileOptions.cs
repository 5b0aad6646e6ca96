using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Maintenance;

/// <summary>
/// How reconciliation reads and what it repairs. Section <c>Reconcile</c>; its schedule,
/// <c>Reconcile:Schedule</c>, is read by the timer trigger itself, not through these options.
/// </summary>
public sealed class ReconcileOptions
{
    public const string Section = "Reconcile";

    /// <summary>Image rows read per table request (the service returns at most 1000).</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Blob existence checks in flight at once, for rows the container listing did not show.</summary>
    [Range(1, 64)]
    public int MaxConcurrentChecks { get; set; } = 8;

    /// <summary>
    /// Index blobs the trigger missed: no vector for their current version and no failure row for it. Off only to
    /// measure what the trigger alone loses.
    /// </summary>
    public bool RepairMissed { get; set; } = true;

    /// <summary>
    /// A blob younger than this is left to the trigger, which is usually indexing it right now; the next run
    /// repairs it if the trigger did not.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RepairGracePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Missed images indexed at once by a repair (each is a download, a decode and an inference).</summary>
    [Range(1, 16)]
    public int MaxConcurrentRepairs { get; set; } = 2;

    /// <summary>
    /// No repair starts after this much of a run; the rest wait for the next run. Keeps a run after an outage
    /// well inside the host's functionTimeout (host.json).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan RepairTimeBudget { get; set; } = TimeSpan.FromMinutes(5);
}
