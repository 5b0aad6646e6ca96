namespace ProductSearch.Tooling.Import;

/// <summary>What the import did with one photo.</summary>
public enum ImportOutcome
{
    /// <summary>New or other bytes: uploaded, with its metadata.</summary>
    Uploaded,

    /// <summary>The same bytes with other metadata: the metadata alone was set.</summary>
    MetadataUpdated,

    /// <summary>The same bytes and metadata: nothing was sent.</summary>
    Unchanged,

    /// <summary>Its name breaks a rule of the catalogue, or its CSV row was bad: not uploaded, fix it first.</summary>
    Refused,

    /// <summary>Reading the file or writing the blob failed: running the import again retries it.</summary>
    Failed,
}

/// <summary>One photo of the folder and what happened to it.</summary>
/// <param name="Path">Its path under the photo folder, as the file system has it.</param>
/// <param name="BlobName">Its name in the container (<c>category/file</c>).</param>
/// <param name="Line">The CSV line that describes it, or the bad row's line for a refusal; null when no row names it.</param>
/// <param name="Reason">Why it was refused or failed.</param>
public sealed record ImportedPhoto(string Path, string BlobName, ImportOutcome Outcome, int? Line = null, string? Reason = null);

/// <summary>How far an import has got: photos handled so far out of those found.</summary>
public readonly record struct ImportProgress(int Done, int Total);

/// <summary>Every photo of the folder with its outcome, in path order, and the CSV rows skipped with their line and reason.</summary>
public sealed record ImportReport(IReadOnlyList<ImportedPhoto> Photos, IReadOnlyList<CsvRowProblem> BadRows)
{
    public int Uploaded => Count(ImportOutcome.Uploaded);

    public int MetadataUpdated => Count(ImportOutcome.MetadataUpdated);

    public int Unchanged => Count(ImportOutcome.Unchanged);

    public int Refused => Count(ImportOutcome.Refused);

    public int Failed => Count(ImportOutcome.Failed);

    private int Count(ImportOutcome outcome) => Photos.Count(p => p.Outcome == outcome);
}
