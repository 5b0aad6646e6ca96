namespace ProductSearch.Maintenance;

/// <summary>
/// What one reconciliation pass found: rows read, vectors and failure rows of deleted images removed, change-log
/// rows past their retention deleted, and blobs the trigger missed: found, indexed now, and left for the next run
/// (out of time budget, or a storage error), and folders storage would not list (left as they were for the next run).
/// </summary>
public sealed record ReconcileReport(
    int Categories,
    int VectorsChecked,
    int VectorsRemoved,
    int FailuresCleared,
    int LogRowsTrimmed = 0,
    int MissedFound = 0,
    int MissedIndexed = 0,
    int MissedLeft = 0,
    int FoldersNotListed = 0)
{
    public static ReconcileReport Empty { get; } = new(0, 0, 0, 0);

    public ReconcileReport Add(ReconcileReport other) => new(
        Categories + other.Categories,
        VectorsChecked + other.VectorsChecked,
        VectorsRemoved + other.VectorsRemoved,
        FailuresCleared + other.FailuresCleared,
        LogRowsTrimmed + other.LogRowsTrimmed,
        MissedFound + other.MissedFound,
        MissedIndexed + other.MissedIndexed,
        MissedLeft + other.MissedLeft,
        FoldersNotListed + other.FoldersNotListed);
}
