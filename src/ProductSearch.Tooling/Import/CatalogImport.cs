using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Import;

/// <summary>
/// Brings a folder of category folders of photos (<c>&lt;folder&gt;/&lt;category&gt;/&lt;file&gt;</c>) into the images
/// container as <c>category/file</c>, with each photo's product from an optional catalogue CSV as blob metadata.
/// Sends only what differs: a blob whose Content-MD5 is the file's MD5 and whose metadata is the row's is left alone,
/// the same bytes with other metadata get the metadata alone. So a second run sends nothing, and a run after an
/// interrupted one sends only what is missing. A photo no row names keeps the metadata its blob has (a new one gets
/// none: its product id is its file name), so importing photos alone never erases what a CSV set.
/// </summary>
public sealed class CatalogImport(BlobContainerClient images, TimeProvider time, ILogger<CatalogImport> logger)
{
    private sealed record ExistingBlob(byte[]? ContentMd5, ETag ETag, IDictionary<string, string> Metadata);

    private sealed record LocalPhoto(string Path, string FullPath, string BlobName);

    public async Task<ImportReport> RunAsync(
        string folder, string? csvPath, string? category, int parallelism, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var started = time.GetTimestamp();
        var csv = csvPath is null ? null : CatalogueCsv.Read(csvPath, folder);
        var rows = csv?.Rows.ToDictionary(r => r.BlobName, StringComparer.Ordinal) ?? [];
        var problems = (csv?.Problems ?? []).Where(p => category is null || p.BlobName is null || p.BlobName.StartsWith(category + "/", StringComparison.Ordinal)).ToList();
        var badRows = problems.Where(p => p.BlobName is not null).GroupBy(p => p.BlobName!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var photos = FindPhotos(folder).Where(p => category is null || p.BlobName.StartsWith(category + "/", StringComparison.Ordinal)).ToList();
        var results = new ConcurrentBag<ImportedPhoto>();
        var toSend = new List<LocalPhoto>();
        foreach (var photo in photos)
        {
            if (CatalogNames.BlobNameProblem(photo.BlobName) is { } nameProblem)
            {
                results.Add(new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.Refused, null, nameProblem));
            }
            else if (badRows.TryGetValue(photo.BlobName, out var bad))
            {
                // Never half-imported: a photo whose row is bad is not uploaded with defaults either.
                results.Add(new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.Refused, bad.Line, bad.Reason));
            }
            else
            {
                toSend.Add(photo);
            }
        }

        progress?.Report(new ImportProgress(results.Count, photos.Count));
        await images.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var existing = await ListExistingAsync(toSend, cancellationToken);
        var done = results.Count;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(toSend, options, async (photo, token) =>
        {
            var row = rows.GetValueOrDefault(photo.BlobName);
            results.Add(await ImportOneAsync(photo, row, existing.GetValueOrDefault(photo.BlobName), token));
            progress?.Report(new ImportProgress(Interlocked.Increment(ref done), photos.Count));
        });

        var report = new ImportReport([.. results.OrderBy(r => r.Path, StringComparer.Ordinal)], problems);
        logger.LogInformation(
            "Imported {Folder}: {Photos} photos, {Uploaded} uploaded, {MetadataUpdated} given metadata, {Unchanged} unchanged, {Refused} refused, {Failed} failed, {BadRows} bad CSV rows, in {ElapsedMs} ms",
            folder, photos.Count, report.Uploaded, report.MetadataUpdated, report.Unchanged, report.Refused, report.Failed, report.BadRows.Count,
            time.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    /// <summary>The photos of each folder directly under <paramref name="folder"/>, and any at its root (which no category holds).</summary>
    private static List<LocalPhoto> FindPhotos(string folder)
    {
        var photos = new List<LocalPhoto>();
        foreach (var file in Directory.EnumerateFiles(folder).Where(PhotoFiles.IsPhoto))
        {
            var name = Path.GetFileName(file);
            photos.Add(new LocalPhoto(name, file, name));
        }

        foreach (var categoryFolder in Directory.EnumerateDirectories(folder))
        {
            var category = Path.GetFileName(categoryFolder);
            foreach (var file in Directory.EnumerateFiles(categoryFolder).Where(PhotoFiles.IsPhoto))
            {
                var name = Path.GetFileName(file);
                photos.Add(new LocalPhoto($"{category}/{name}", file, $"{category}/{name}"));
            }
        }

        photos.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return photos;
    }

    /// <summary>The blobs already in the photos' category folders, with Content-MD5 and metadata: one listing per folder.</summary>
    private async Task<Dictionary<string, ExistingBlob>> ListExistingAsync(List<LocalPhoto> photos, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, ExistingBlob>(StringComparer.Ordinal);
        foreach (var category in photos.Select(p => CatalogNames.Parse(p.BlobName)!.Value.Category).Distinct(StringComparer.Ordinal))
        {
            await foreach (var blob in images.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, category + "/", cancellationToken))
            {
                existing[blob.Name] = new ExistingBlob(blob.Properties.ContentHash, blob.Properties.ETag ?? default, blob.Metadata);
            }
        }

        return existing;
    }

    private async Task<ImportedPhoto> ImportOneAsync(LocalPhoto photo, CatalogueRow? row, ExistingBlob? existing, CancellationToken cancellationToken)
    {
        try
        {
            // One read: the bytes hashed are the bytes sent, even if the file changes meanwhile.
            var bytes = await File.ReadAllBytesAsync(photo.FullPath, cancellationToken);
#pragma warning disable CA5351 // Content-MD5 is storage's own change check; it guards against nothing hostile.
            var md5 = MD5.HashData(bytes);
#pragma warning restore CA5351
            var wanted = row is null ? null : OwnedMetadata.Of(row.ProductId, row.Attributes);
            var blob = images.GetBlobClient(photo.BlobName);
            if (existing?.ContentMd5 is { } stored && stored.AsSpan().SequenceEqual(md5))
            {
                if (wanted is null || OwnedMetadata.Holds(existing.Metadata, wanted))
                {
                    return new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.Unchanged, row?.Line);
                }

                await blob.SetMetadataAsync(OwnedMetadata.Merged(existing.Metadata, wanted), new BlobRequestConditions { IfMatch = existing.ETag }, cancellationToken);
                return new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.MetadataUpdated, row?.Line);
            }

            var upload = new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = PhotoFiles.ContentType(photo.BlobName), ContentHash = md5 },
                Metadata = existing is null ? wanted ?? [] : wanted is null ? existing.Metadata : OwnedMetadata.Merged(existing.Metadata, wanted),
                // Replace exactly the version listed, or create: a blob someone changed meanwhile is a failure to re-run, not overwritten.
                Conditions = existing is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = existing.ETag },
            };
            await blob.UploadAsync(new BinaryData(bytes), upload, cancellationToken);
            return new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.Uploaded, row?.Line);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not import {Path}", photo.Path);
            var reason = e is RequestFailedException { Status: 409 or 412 }
                ? "The blob changed while the import ran: run it again."
                : $"{e.GetType().Name}: {e.Message.Split('\n', 2)[0].TrimEnd('\r')}";
            return new ImportedPhoto(photo.Path, photo.BlobName, ImportOutcome.Failed, row?.Line, reason);
        }
    }
}
