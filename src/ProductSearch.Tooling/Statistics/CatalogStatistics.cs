using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Statistics;

/// <summary>One category as an operator sees it: images in the container, vectors per model id, images refused.</summary>
public sealed record CategoryStatistics(string Category, int Images, IReadOnlyDictionary<string, int> VectorsByModel, int Failures);

/// <summary>Every category (or one), and the failures behind their counts.</summary>
public sealed record CatalogStatisticsReport(IReadOnlyList<CategoryStatistics> Categories, IReadOnlyList<IndexingFailure> Failures);

/// <summary>
/// Counts for operators: reads every vector row's model id (not its vector), so it costs one table request
/// per 1,000 images. Fine for a CLI, not something the storefront path should call.
/// </summary>
public sealed class CatalogStatistics
{
    // Image rows sort below '~', the change log at or above it (see ProductVectorTable.ChangeLogPrefix).
    private const string ImageKeyUpperBound = "~";

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
    /// Categories are the union of the container's folders and the table's partitions, so vectors whose
    /// images were all deleted (waiting for reconciliation) show up too.
    /// </summary>
    public async Task<CatalogStatisticsReport> ReadAsync(string? category, CancellationToken cancellationToken)
    {
        var images = await CountImagesAsync(category, cancellationToken);
        var categories = new SortedSet<string>(images.Keys, StringComparer.Ordinal);
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

        var rows = new List<CategoryStatistics>();
        var failures = new List<IndexingFailure>();
        foreach (var name in categories)
        {
            var categoryFailures = await _failures.ReadCategoryAsync(name, cancellationToken);
            failures.AddRange(categoryFailures);
            rows.Add(new CategoryStatistics(
                name, images.GetValueOrDefault(name), await CountVectorsByModelAsync(name, cancellationToken), categoryFailures.Count));
        }

        return new CatalogStatisticsReport(rows, failures);
    }

    private async Task<Dictionary<string, int>> CountImagesAsync(string? category, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefix = category is null ? null : category + "/";
        await foreach (var blob in _images.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            var slash = blob.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                // Blobs at the container's root belong to no category and are never indexed.
                var folder = blob.Name[..slash];
                counts[folder] = counts.GetValueOrDefault(folder) + 1;
            }
        }

        return counts;
    }

    private async Task<Dictionary<string, int>> CountVectorsByModelAsync(string category, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey lt {ImageKeyUpperBound}");
        try
        {
            await foreach (var entity in _vectors.Client.QueryAsync<TableEntity>(
                filter, select: [nameof(ProductVector.ModelId)], cancellationToken: cancellationToken))
            {
                var model = entity.GetString(nameof(ProductVector.ModelId)) ?? "(none)";
                counts[model] = counts.GetValueOrDefault(model) + 1;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: nothing indexed.
        }

        return counts;
    }
}
