using Azure.Storage.Blobs;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Statistics;

/// <summary>One category as an operator sees it: images in the container, vectors per model id, images refused.</summary>
/// <param name="Images">Blobs in the category's folder; null when storage would not list it (see <see cref="CatalogStatisticsReport.ListingFailures"/>).</param>
/// <param name="Failures">Images refused, for their bytes or for their names.</param>
/// <param name="RefusedAttributes">Images indexed whose metadata carried product attributes that were refused (see <see cref="RefusedAttributes"/>).</param>
public sealed record CategoryStatistics(string Category, int? Images, IReadOnlyDictionary<string, int> VectorsByModel, int Failures, int RefusedAttributes = 0);

/// <summary>An indexed image whose blob metadata carried product attributes that break the rules: what was refused, and why.</summary>
public sealed record RefusedAttributes(string Category, string ImageId, IReadOnlyList<string> Reasons);

/// <summary>Every category (or one), and the failures behind their counts.</summary>
/// <param name="InvalidNames">
/// Blobs at the container root or in a folder that is not a valid category: never indexed, refused for their names
/// (their rows, once the trigger or a backfill has seen them, are among <paramref name="Failures"/>).
/// </param>
/// <param name="ListingFailures">Folders storage would not list: their counts are missing, the others are complete.</param>
/// <param name="AttributeRefusals">Images indexed without some of the product attributes in their metadata, with the reasons.</param>
public sealed record CatalogStatisticsReport(
    IReadOnlyList<CategoryStatistics> Categories,
    IReadOnlyList<IndexingFailure> Failures,
    int InvalidNames = 0,
    IReadOnlyList<ListingFailure>? ListingFailures = null,
    IReadOnlyList<RefusedAttributes>? AttributeRefusals = null)
{
    public IReadOnlyList<ListingFailure> ListingFailures { get; } = ListingFailures ?? [];

    public IReadOnlyList<RefusedAttributes> AttributeRefusals { get; } = AttributeRefusals ?? [];
}

/// <summary>
/// Counts for operators: reads every vector row's model id (not its vector), so it costs one table request
/// per 1,000 images. Fine for a CLI, not something the storefront path should call.
/// </summary>
public sealed class CatalogStatistics
{
    private readonly BlobContainerClient _images;
    private readonly ProductVectorTable _vectors;
    private readonly IndexingFailureTable _failures;

    public CatalogStatistics(BlobContainerClient images, ProductVectorTable vectors, IndexingFailureTable failures)
    {
        _images = images;
        _vectors = vectors;
        _failures = failures;
    }

    /// <summary>
    /// Categories are the union of the container's category folders and the table's partitions, so vectors whose
    /// images were all deleted (waiting for reconciliation) show up too. A folder that is not a category is no row:
    /// its blobs count as invalid names. A folder storage will not list is reported, and the others are counted.
    /// </summary>
    public async Task<CatalogStatisticsReport> ReadAsync(string? category, CancellationToken cancellationToken)
    {
        var (images, invalidNames, listingFailures) = await CountImagesAsync(category, cancellationToken);
        var categories = new SortedSet<string>(images.Keys, StringComparer.Ordinal);
        categories.UnionWith(listingFailures.Select(f => f.Folder).Where(CatalogNames.IsValidCategory));
        if (category is null)
        {
            await foreach (var stored in _vectors.ListCategoriesAsync(cancellationToken))
            {
                categories.Add(stored);
            }
        }
        else
        {
            categories.Add(category);
        }

        var refusedNames = (await _failures.ReadInvalidNamesAsync(_images.Name, cancellationToken))
            .Where(f => category is null || f.Category == category)
            .ToLookup(f => CatalogNames.IsValidCategory(f.Category) ? f.Category : "", StringComparer.Ordinal);
        var rows = new List<CategoryStatistics>();
        var failures = new List<IndexingFailure>();
        var refusals = new List<RefusedAttributes>();
        foreach (var name in categories)
        {
            var categoryFailures = await _failures.ReadCategoryAsync(name, cancellationToken);
            categoryFailures.AddRange(refusedNames[name]);
            failures.AddRange(categoryFailures);
            var listed = !listingFailures.Any(f => f.Folder == name);
            var (vectors, refused) = await ReadImageRowsAsync(name, cancellationToken);
            refusals.AddRange(refused);
            rows.Add(new CategoryStatistics(name, listed ? images.GetValueOrDefault(name) : null, vectors, categoryFailures.Count, refused.Count));
        }

        // Names refused outside any category: at the root, or in a folder whose name is no category.
        failures.AddRange(refusedNames[""]);
        return new CatalogStatisticsReport(rows, failures, invalidNames, listingFailures, refusals);
    }

    private async Task<(Dictionary<string, int> Images, int InvalidNames, List<ListingFailure> ListingFailures)> CountImagesAsync(
        string? category, CancellationToken cancellationToken)
    {
        var (counts, invalidNames, listingFailures) = (new Dictionary<string, int>(StringComparer.Ordinal), 0, new List<ListingFailure>());
        IReadOnlyList<string> folders;
        if (category is null)
        {
            var top = await ContainerFolders.ListTopLevelAsync(_images, cancellationToken);
            invalidNames += top.RootBlobs.Count;
            folders = top.Folders;
        }
        else
        {
            folders = [category];
        }

        foreach (var folder in folders)
        {
            var count = 0;
            try
            {
                await foreach (var _ in ContainerFolders.ListFolderAsync(_images, folder, cancellationToken))
                {
                    count++;
                }
            }
            catch (Exception e) when (ContainerFolders.IsListingFailure(e))
            {
                listingFailures.Add(new ListingFailure(folder, ContainerFolders.Describe(e)));
                continue;
            }

            if (!CatalogNames.IsValidCategory(folder))
            {
                invalidNames += count;
            }
            else if (count > 0)
            {
                counts[folder] = count;
            }
        }

        return (counts, invalidNames, listingFailures);
    }

    // The image rows' model ids and any attributes refused, no vectors.
    private async Task<(Dictionary<string, int> VectorsByModel, List<RefusedAttributes> Refused)> ReadImageRowsAsync(
        string category, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var refused = new List<RefusedAttributes>();
        await foreach (var row in _vectors.ReadImageSummariesAsync(category, cancellationToken))
        {
            var model = row.ModelId ?? "(none)";
            counts[model] = counts.GetValueOrDefault(model) + 1;
            if (row.RefusedAttributes.Count > 0)
            {
                refused.Add(new RefusedAttributes(category, row.ImageId, row.RefusedAttributes));
            }
        }

        return (counts, refused);
    }
}
