using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProductSearch.Telemetry;

/// <summary>
/// The traces and metrics the product emits, named after OpenTelemetry's conventions (dotted lower-case
/// names, UCUM units, attributes under our own <c>product_search.</c> namespace). Plain System.Diagnostics,
/// so the library needs no exporter; the host chooses one (console locally, Azure Monitor in Azure).
/// </summary>
public static class ProductSearchTelemetry
{
    public const string Name = "ProductSearch";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Time to turn one decoded image into a vector (preprocess + inference + pooling).</summary>
    public static readonly Histogram<double> ExtractionDuration = Meter.CreateHistogram<double>(
        "product_search.extraction.duration", "s", "Feature extraction time per image");

    /// <summary>Images the indexer finished, by <c>product_search.outcome</c> (indexed, already_current, superseded, gone, rejected) and reason.</summary>
    public static readonly Counter<long> IndexedImages = Meter.CreateCounter<long>(
        "product_search.indexing.images", "{image}", "Images processed by the indexer, by outcome");

    /// <summary>Blobs reconciliation found without a vector or failure row for their version, by outcome (indexed, rejected, left).</summary>
    public static readonly Counter<long> ReconcileRepairs = Meter.CreateCounter<long>(
        "product_search.reconcile.repairs", "{image}", "Missed blobs found and indexed by reconciliation, by outcome");

    public static readonly Histogram<double> CacheLoadDuration = Meter.CreateHistogram<double>(
        "product_search.cache.load.duration", "s", "Time to load a category's vectors into memory");

    public static readonly Counter<long> CacheLoadedVectors = Meter.CreateCounter<long>(
        "product_search.cache.load.vectors", "{vector}", "Vectors loaded into the category cache");

    public static readonly Counter<long> CacheRefreshChanges = Meter.CreateCounter<long>(
        "product_search.cache.refresh.changes", "{change}", "Change-log rows applied by cache refreshes");

    public static readonly Histogram<double> QueryDuration = Meter.CreateHistogram<double>(
        "product_search.query.duration", "s", "Time to answer a similarity query, by product_search.query.kind");

    public static readonly Histogram<long> QueryVectorsSearched = Meter.CreateHistogram<long>(
        "product_search.query.vectors_searched", "{vector}", "Vectors compared with the query");

    /// <summary>Attribute names, shared by spans and metrics.</summary>
    public static class Attributes
    {
        public const string Category = "product_search.category";
        public const string Model = "product_search.model";
        public const string Outcome = "product_search.outcome";
        public const string Reason = "product_search.reason";
        public const string QueryKind = "product_search.query.kind";
        public const string Vectors = "product_search.vectors";
        public const string Changes = "product_search.changes";
    }
}
