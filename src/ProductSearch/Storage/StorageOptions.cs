using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Storage;

/// <summary>Where images and vectors live. Section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>
    /// Name of the connection: a connection string (Azurite) or an identity-based section
    /// (<c>&lt;name&gt;__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__clientId</c>) in Azure.
    /// </summary>
    [Required]
    public string Connection { get; set; } = "ProductStorage";

    /// <summary>Blob container holding <c>&lt;category&gt;/&lt;image name&gt;</c>.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", ErrorMessage = "Storage:ImagesContainer must be a valid blob container name.")]
    public string ImagesContainer { get; set; } = "product-images";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Storage:VectorTable must be a valid table name.")]
    public string VectorTable { get; set; } = "productvectors";

    /// <summary>
    /// How long change-log rows are kept. Reconciliation deletes older ones; a cache that has not polled a category
    /// for half of this loads it again rather than read a log that may have lost rows.
    /// </summary>
    [Range(1, 24 * 365)]
    public double ChangeLogRetentionHours { get; set; } = 24;

    /// <summary>
    /// Image keys (space-separated, ascending) at which a category's cold load splits into key ranges read at once;
    /// empty reads one range. A range is a chain of 1,000-row pages, each waiting for the last, so ranges in
    /// parallel overlap those waits and cut the load of a large category (docs/performance.md). The default cuts
    /// digits, capitals and lower case into ten ranges, so hex hashes (no range over a quarter) and word-like names
    /// both spread; a range with no images costs one empty request.
    /// </summary>
    public string LoadRangeSplits { get; set; } = "4 8 A N a d h o u";

    /// <summary>The parsed <see cref="LoadRangeSplits"/>.</summary>
    public IReadOnlyList<string> LoadRangeSplitKeys => LoadRangeSplits.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var keys = LoadRangeSplitKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            // Keys compare with encoded image keys, which are below '~' and never contain the characters it escapes.
            if (string.CompareOrdinal(keys[i], "~") >= 0 || !TableKeyCodec.TryEncode(keys[i], out var encoded) || encoded != keys[i]
                || (i > 0 && string.CompareOrdinal(keys[i - 1], keys[i]) >= 0))
            {
                yield return new ValidationResult(
                    $"Storage:LoadRangeSplits must be ascending image keys below '~' without escaped characters; '{keys[i]}' is not.", [nameof(LoadRangeSplits)]);
            }
        }
    }
}
