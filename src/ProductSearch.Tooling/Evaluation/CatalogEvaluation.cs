using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductSearch.Features;
using ProductSearch.Indexing;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>
/// Where an evaluation reads photos from and writes them to. <see cref="Container"/> should be this run's own (see
/// <see cref="CatalogEvaluation.RunContainerName"/>): blobs another run left under the same names would otherwise be scored.
/// </summary>
public sealed record EvaluationTarget(string DatasetRoot, string StorageConnectionString, string Container, int Parallelism);

/// <summary>
/// Indexes a model's photos the way the product does: uploaded as blobs, indexed by the same
/// <see cref="ProductImageIndexer"/> the blob trigger calls, read back from Table Storage into the app's own indexes
/// (<see cref="EvaluatedCatalog"/>), where every photo is a leave-one-out query.
/// </summary>
public static class CatalogEvaluation
{
    /// <summary>A container name of <paramref name="prefix"/> and a random suffix: each run uploads and scores its own photos only.</summary>
    public static string RunContainerName(string prefix) =>
        $"{prefix[..Math.Min(prefix.Length, 30)].TrimEnd('-')}-{Guid.NewGuid():N}".ToLowerInvariant();

    /// <summary>Removes the run's container (the photos it uploaded); its tables go when each variant is read.</summary>
    public static async Task DeleteRunContainerAsync(EvaluationTarget target, CancellationToken cancellationToken) =>
        await new BlobContainerClient(target.StorageConnectionString, target.Container).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>
    /// Uploads and indexes the photos with the model of <paramref name="descriptorPath"/>, and reads the stored rows back
    /// into the app's own indexes: the catalogue every figure of this variant is measured on.
    /// </summary>
    public static async Task<EvaluatedCatalog> RunAsync(
        EvaluationTarget target, IReadOnlyList<ManifestEntry> entries, string descriptorPath, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var descriptor = ModelDescriptor.Load(descriptorPath);
        // One table per run and variant, dropped when read: nothing an earlier run wrote can be scored again.
        var table = "eval" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(descriptor.Id + "/" + target.Container)))[..16].ToLowerInvariant();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProductStorage"] = target.StorageConnectionString,
            ["Storage:ImagesContainer"] = target.Container,
            ["Storage:VectorTable"] = table,
            ["Model:Descriptor"] = Path.GetFullPath(descriptorPath),
        }).Build();
        await using var provider = ProductSearchServices.Build(configuration, logging: b => b.SetMinimumLevel(LogLevel.Error));

        var container = provider.GetRequiredService<BlobContainerClient>();
        await UploadMissingAsync(container, target, entries, cancellationToken);

        var indexer = provider.GetRequiredService<ProductImageIndexer>();
        var done = 0;
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = target.Parallelism, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                var result = await indexer.IndexAsync(container.GetBlobClient(BlobName(entry)), ct);
                if (result.Outcome is IndexOutcome.Rejected or IndexOutcome.Gone)
                {
                    failures.Add($"{entry.Path}: {result.Outcome} {result.Reason}");
                }

                progress?.Report(Interlocked.Increment(ref done));
            });
        if (!failures.IsEmpty)
        {
            throw new InvalidDataException($"{failures.Count} photos could not be indexed: {string.Join("; ", failures.Take(5))}");
        }

        var vectorTable = provider.GetRequiredService<ProductVectorTable>();
        var stored = await ReadVectorsAsync(vectorTable, entries, descriptor.Id, cancellationToken);
        await vectorTable.Client.DeleteAsync(cancellationToken);
        if (descriptor.Colour is { } colour && stored.FirstOrDefault(v => v.ColourOf(colour.Id) is null) is { } missing)
        {
            throw new InvalidDataException($"No colour {colour.Id} was stored for {missing.Category}/{missing.ImageId}.");
        }

        return new EvaluatedCatalog(descriptor.Id, entries, stored, descriptor.Colour is { } c ? new ColourColumns(c.Id, c.Dimension) : null);
    }

    public static string BlobName(ManifestEntry entry) => $"{entry.Category}/{entry.ImageId}";

    private static async Task UploadMissingAsync(
        BlobContainerClient container, EvaluationTarget target, IReadOnlyList<ManifestEntry> entries, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken))
        {
            present.Add(blob.Name);
        }

        await Parallel.ForEachAsync(
            entries.Where(e => !present.Contains(BlobName(e))),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                await using var file = File.OpenRead(Path.Combine(target.DatasetRoot, entry.Path));
                await container.GetBlobClient(BlobName(entry)).UploadAsync(file, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" },
                    Metadata = new Dictionary<string, string> { ["productid"] = entry.ProductId },
                }, ct);
            });
    }

    private static async Task<ProductVector[]> ReadVectorsAsync(
        ProductVectorTable table, IReadOnlyList<ManifestEntry> entries, string modelId, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string, string), ProductVector>();
        foreach (var category in entries.Select(e => e.Category).Distinct(StringComparer.Ordinal))
        {
            await foreach (var vector in table.ReadCategoryAsync(category, cancellationToken))
            {
                if (vector.ModelId == modelId)
                {
                    stored[(vector.Category, vector.ImageId)] = vector;
                }
            }
        }

        return entries.Select(e => stored.TryGetValue((e.Category, e.ImageId), out var v)
            ? v
            : throw new InvalidDataException($"No vector of {modelId} was stored for {e.Path}.")).ToArray();
    }
}
