using System.ComponentModel.DataAnnotations;

namespace ProductSearch.Storage;

/// <summary>Where rejected images are recorded. Section <c>Storage</c>, beside the images container and the vectors table.</summary>
public sealed class IndexingFailureTableOptions
{
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "Storage:FailuresTable must be a valid table name.")]
    public string FailuresTable { get; set; } = "indexingfailures";
}
