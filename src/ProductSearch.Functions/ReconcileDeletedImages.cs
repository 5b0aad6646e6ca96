using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ProductSearch.Maintenance;

namespace ProductSearch.Functions;

/// <summary>
/// Reconciles the table with the images container on a schedule: removes the vectors of deleted images (blob
/// triggers fire on creates and updates only) and indexes blobs the trigger missed. The timer holds a singleton
/// lock, so one instance reconciles at a time however far the app scales out. The function keeps its first name
/// (deployed settings, alerts and logs refer to it); the library's <c>CatalogReconciler</c> is named for all it does.
/// </summary>
public sealed class ReconcileDeletedImages(CatalogReconciler reconciler, ILogger<ReconcileDeletedImages> logger)
{
    /// <summary>
    /// An NCRONTAB expression from the app setting <c>Reconcile__Schedule</c>, which must be set (a timer
    /// binding has no default); <see cref="DefaultSchedule"/> is the value deployments use.
    /// </summary>
    public const string Schedule = "%Reconcile:Schedule%";

    /// <summary>Every 15 minutes: a deleted photo stops being returned, and a missed upload is indexed, within about a quarter of an hour.</summary>
    public const string DefaultSchedule = "0 */15 * * * *";

    [Function(nameof(ReconcileDeletedImages))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var report = await reconciler.ReconcileAsync(cancellationToken);
        logger.LogInformation(
            "Reconciled {Categories} categories: {Checked} vectors checked, {Removed} removed, {FailuresCleared} failure rows cleared, {Trimmed} old change-log rows deleted, {MissedFound} missed blobs found, {MissedIndexed} indexed, {MissedLeft} left, {FoldersNotListed} folders storage would not list (next run {NextRun})",
            report.Categories, report.VectorsChecked, report.VectorsRemoved, report.FailuresCleared, report.LogRowsTrimmed,
            report.MissedFound, report.MissedIndexed, report.MissedLeft, report.FoldersNotListed, timer.ScheduleStatus?.Next);
    }
}
