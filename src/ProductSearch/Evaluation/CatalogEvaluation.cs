using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductSearch.Features;
using ProductSearch.Indexing;
using ProductSearch.Storage;

namespace ProductSearch.Evaluation;

/// <summary>Where an evaluation reads photos from and writes them to.</summary>
public sealed record EvaluationTarget(string DatasetRoot, string StorageConnectionString, string Container, int Parallelism);

/// <summary>
/// Evaluates a model the way the product serves it: photos are uploaded as blobs, indexed by the same
/// <see cref="ProductImageIndexer"/> the blob trigger calls, read back from Table Storage, and then every
/// photo is a leave-one-out query.
/// </summary>
public static class CatalogEvaluation
{
    public static async Task<(QualityReport Report, IReadOnlyList<float[]> Vectors)> RunAsync(
        EvaluationTarget target, IReadOnlyList<ManifestEntry> entries, string descriptorPath, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var descriptor = ModelDescriptor.Load(descriptorPath);
        var table = "eval" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(descriptor.Id)))[..16].ToLowerInvariant();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProductStorage"] = target.StorageConnectionString,
            ["Storage:ImagesContainer"] = target.Container,
            ["Storage:VectorTable"] = table,
            ["Model:Descriptor"] = Path.GetFullPath(descriptorPath),
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Error))
            .AddProductSearch(configuration);
        await using var provider = services.BuildServiceProvider();

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

        var vectors = await ReadVectorsAsync(provider.GetRequiredService<ProductVectorTable>(), entries, descriptor.Id, cancellationToken);
        return (RetrievalEvaluator.Evaluate(descriptor.Id, entries, vectors), vectors);
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

    private static async Task<float[][]> ReadVectorsAsync(
        ProductVectorTable table, IReadOnlyList<ManifestEntry> entries, string modelId, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(string, string), float[]>();
        foreach (var category in entries.Select(e => e.Category).Distinct(StringComparer.Ordinal))
        {
            await foreach (var vector in table.ReadCategoryAsync(category, cancellationToken))
            {
                if (vector.ModelId == modelId)
                {
                    stored[(vector.Category, vector.ImageId)] = vector.Vector;
                }
            }
        }

        return entries.Select(e => stored.TryGetValue((e.Category, e.ImageId), out var v)
            ? v
            : throw new InvalidDataException($"No vector of {modelId} was stored for {e.Path}.")).ToArray();
    }
}
