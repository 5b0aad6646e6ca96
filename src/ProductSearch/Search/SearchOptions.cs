using System.ComponentModel.DataAnnotations;
using ProductSearch.Vectors;

namespace ProductSearch.Search;

/// <summary>How queries are answered and how fresh the cache stays. Section <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>N when the caller gives none: 4, as in the original notebook.</summary>
    [Range(1, 1000)]
    public int DefaultTop { get; set; } = 4;

    [Range(1, 1000)]
    public int MaxTop { get; set; } = 100;

    /// <summary>A newly indexed or deleted image is visible to queries at most this long after it was written.</summary>
    [Range(0.0, 3600.0)]
    public double StalenessSeconds { get; set; } = 5;

    /// <summary>
    /// How far back each poll of the change log re-reads. Log rows carry the writer's clock and commit a little
    /// after it was read, so a row can land just behind the last poll; re-reading a window (and skipping rows
    /// already applied) catches it. Covers clock skew between instances plus a slow write.
    /// </summary>
    [Range(0.0, 3600.0)]
    public double ChangeLogLookbackSeconds { get; set; } = 30;

    /// <summary>Keep cached vectors as float16: half the memory per image; candidates are re-ranked exactly on the float16 rows.</summary>
    public bool CompactVectors { get; set; }

    /// <summary>
    /// Also keep an int8 copy of the cached vectors (one byte per value) and scan it first: a quarter of float32's
    /// bytes per query, for large categories where the scan waits on memory. The best candidates are re-ranked exactly.
    /// </summary>
    public bool Int8Scan { get; set; }

    /// <summary>
    /// Colour weight w of a query that gives none (<c>colour</c> on the HTTP endpoints): d^2 = d_shape^2 + w^2 d_colour^2.
    /// 0 is shape only. Chosen from the eval sweep: see docs/retrieval-quality.md.
    /// </summary>
    [Range(0.0, MaxColourWeight)]
    public double DefaultColourWeight { get; set; } = 0.35;

    /// <summary>The largest colour weight a query may ask for: far beyond it, ranking is by colour alone.</summary>
    public const double MaxColourWeight = 4;

    /// <summary>
    /// Closer than this, two images are the same photo (re-encoded, resized or lightly edited), not two shots.
    /// Chosen from the data: docs/retrieval-quality.md, "Scores and thresholds".
    /// </summary>
    [Range(0.0, 2.0)]
    public double NearDuplicateDistance { get; set; } = 0.2;

    /// <summary>
    /// Query expansion: how many nearest images (k) are folded into the query before searching; 0 turns it off.
    /// See <see cref="AlphaQueryExpansion"/> and docs/retrieval-quality.md.
    /// </summary>
    [Range(0, 10)]
    public int QueryExpansionNeighbours { get; set; }

    /// <summary>Query expansion's α: neighbours weigh (cosine similarity)^α; 0 is a plain average.</summary>
    [Range(0.0, 10.0)]
    public double QueryExpansionAlpha { get; set; } = 3;

    /// <summary>How a category index keeps its rows under these settings.</summary>
    public RowFormat ToRowFormat() => new(CompactVectors, Int8Scan);
}
