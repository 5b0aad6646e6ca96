namespace ProductSearch.Maintenance;

/// <summary>
/// What one reconciliation pass found: rows read, vectors and failure rows of deleted images removed, change-log
/// rows past their retention deleted.
/// </summary>
public sealed record ReconcileReport(int Categories, int VectorsChecked, int VectorsRemoved, int FailuresCleared, int LogRowsTrimmed = 0)
{
    public static ReconcileReport Empty { get; } = new(0, 0, 0, 0);

    public ReconcileReport Add(ReconcileReport other) => new(
        Categories + other.Categories,
        VectorsChecked + other.VectorsChecked,
        VectorsRemoved + other.VectorsRemoved,
        FailuresCleared + other.FailuresCleared,
        LogRowsTrimmed + other.LogRowsTrimmed);
}
