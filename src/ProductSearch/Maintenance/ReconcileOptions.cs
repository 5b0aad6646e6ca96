using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Maintenance;

/// <summary>
/// How the deleted-image reconciliation reads. Section <c>Reconcile</c>; its schedule,
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
}
