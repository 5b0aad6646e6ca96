using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Storage;

/// <summary>Where images and vectors live. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
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
}
