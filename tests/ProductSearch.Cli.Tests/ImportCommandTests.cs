using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ProductSearch.Cli.Tests.Infrastructure;
using ProductSearch.Products;
using ProductSearch.Tooling.Evaluation;
using ProductSearch.Tooling.Import;

namespace ProductSearch.Cli.Tests;

/// <summary><c>import</c> through the real CLI against Azurite: names, metadata, re-runs, bad rows, failures and resuming.</summary>
[Collection(CliAzuriteCollection.Name)]
public sealed class ImportCommandTests(AzuriteFixture azurite) : IDisposable
{
    // A comma, quotes and letters outside ASCII: what a hand-split CSV or raw metadata would break.
    private const string AeroTitle = "Tee \"Aero\", light – Ünïcode";

    private readonly string _folder = Directory.CreateTempSubdirectory("import-").FullName;

    [Fact]
    public async Task Import_FirstRunUploadsWithContractMetadata_SecondRunSendsNothing_ChangedRowSetsMetadataOnly()
    {
        await using var catalog = new CliCatalog(azurite);
        Photo("tees/a.jpg", 0);
        Photo("tees/b.jpg", 1);
        Photo("mugs/c.jpg", 2);
        var csv = Csv(
            "Image,Category,Product_ID,Title,URL,Price,Currency,Labels",
            $"tees/a.jpg,tees,TEE-1,\"{AeroTitle.Replace("\"", "\"\"", StringComparison.Ordinal)}\",https://shop.example/tee-1,29.00,EUR,\"instock=true,color=blue\"",
            "b.jpg,tees,TEE-2,,,,,");

        var first = await CliRun.RunAsync(catalog.Args("import", _folder, "--csv", csv));
        var second = await CliRun.RunAsync(catalog.Args("import", _folder, "--csv", csv));

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Uploaded 3, metadata updated 0, unchanged 0, refused 0, failed 0, of 3 photos; 0 bad CSV rows.", first.Output, StringComparison.Ordinal);
        var blobs = await ListAsync(catalog);
        Assert.Equal(["mugs/c.jpg", "tees/a.jpg", "tees/b.jpg"], blobs.Select(b => b.Name));
        var a = blobs[1];
#pragma warning disable CA5351 // storage's Content-MD5, compared, not trusted
        Assert.Equal(MD5.HashData(await File.ReadAllBytesAsync(Path.Combine(_folder, "tees", "a.jpg"))), a.Properties.ContentHash);
#pragma warning restore CA5351
        Assert.Equal("TEE-1", a.Metadata["productid"]);
        Assert.Equal(Uri.EscapeDataString(AeroTitle), a.Metadata["title"]);
        Assert.True(a.Metadata.Values.All(v => v.All(char.IsAscii)));
        Assert.Equal("color=blue&instock=true", a.Metadata["labels"]);
        var reading = ProductMetadata.Read(a.Metadata);
        Assert.Empty(reading.Refused);
        var decoded = reading.Accepted;
        Assert.Equal(AeroTitle, decoded.Title);
        Assert.Equal("https://shop.example/tee-1", decoded.Url);
        Assert.Equal(("29.00", "EUR"), (decoded.Price, decoded.Currency));
        Assert.Equal([KeyValuePair.Create("color", "blue"), KeyValuePair.Create("instock", "true")], decoded.Labels);
        Assert.Equal(new Dictionary<string, string> { ["productid"] = "TEE-2" }, blobs[2].Metadata);
        Assert.Empty(blobs[0].Metadata); // no row: its product id is its file name, as today

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("Uploaded 0, metadata updated 0, unchanged 3,", second.Output, StringComparison.Ordinal);

        var etag = blobs[2].Properties.ETag;
        var changed = Csv("image,category,product_id,labels", "tees/b.jpg,tees,TEE-2,instock=false");
        var third = await CliRun.RunAsync(catalog.Args("import", _folder, "--csv", changed));

        Assert.Contains("Uploaded 0, metadata updated 1, unchanged 2,", third.Output, StringComparison.Ordinal);
        var b = (await ListAsync(catalog))[2];
        Assert.Equal("instock=false", b.Metadata["labels"]);
        Assert.Equal(blobs[2].Properties.ContentHash, b.Properties.ContentHash);
        Assert.NotEqual(etag, b.Properties.ETag);
    }

    [Fact]
    public async Task Import_CsvWithBrokenRows_ReportsTheirLinesAndImportsOnlyTheGoodOnes()
    {
        await using var catalog = new CliCatalog(azurite);
        foreach (var (name, i) in new[] { "good", "short", "key", "currency", "other", "twice", "quoted", "repeated", "broken" }.Select((n, i) => (n, i)))
        {
            Photo($"tees/{name}.jpg", i);
        }

        var csv = Csv(
            "image,category,product_id,title,price,currency,labels",
            "tees/quoted.jpg,tees,Q-1,\"A title over",
            "two lines, with a comma\",,,",                    // lines 2-3: one row, a title may not hold a line break
            "tees/short.jpg,tees,S-1",                           // line 4: fields missing
            "tees/missing.jpg,tees,M-1,,,,",                     // line 5: no such photo
            "tees/key.jpg,tees,K-1,,,,Color=blue",               // line 6: key not lower case
            "tees/currency.jpg,tees,C-1,,,EUR,",                 // line 7: currency without price
            "tees/other.jpg,mugs,O-1,,,,",                       // line 8: not in its category's folder
            "tees/twice.jpg,tees,T-1,,,,",                       // line 9 and 10 disagree
            "tees/twice.jpg,tees,T-2,,,,",
            "tees/repeated.jpg,tees,R-1,,,,\"size=M,size=L\"",  // line 11: one key twice
            "tees/broken.jpg,tees,B-1,,abc,EUR,Color=blue",      // line 12: two rules broken, both named
            "tees/good.jpg,tees,G-1,,1.5,USD,size=M");           // line 13

        var result = await CliRun.RunAsync(catalog.Args("import", _folder, "--csv", csv, "--json"));

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        var badLines = root.GetProperty("badRows").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).ToList();
        Assert.Equal([2, 4, 5, 6, 7, 8, 9, 10, 11, 12], badLines); // lines of the file, not rows: the quoted break counts
        Assert.Contains("control character", Reason(root, 2), StringComparison.Ordinal);
        Assert.Contains("3 fields", Reason(root, 4), StringComparison.Ordinal);
        Assert.Contains("not in the photo folder", Reason(root, 5), StringComparison.Ordinal);
        Assert.Contains("label key 'Color'", Reason(root, 6), StringComparison.Ordinal);
        Assert.Contains("currency is given without a price", Reason(root, 7), StringComparison.Ordinal);
        Assert.Contains("not in the category's folder", Reason(root, 8), StringComparison.Ordinal);
        Assert.Contains("lines 9, 10", Reason(root, 9), StringComparison.Ordinal);
        Assert.Contains("label key 'size' is given twice", Reason(root, 11), StringComparison.Ordinal);
        Assert.Contains("price 'abc'", Reason(root, 12), StringComparison.Ordinal);
        Assert.Contains("label key 'Color'", Reason(root, 12), StringComparison.Ordinal);
        Assert.Equal(1, root.GetProperty("uploaded").GetInt32());
        Assert.Equal(8, root.GetProperty("refused").GetInt32()); // quoted, short, key, currency, other, twice, repeated, broken: never uploaded with defaults
        var photos = root.GetProperty("photos").EnumerateArray().ToDictionary(p => p.GetProperty("path").GetString()!);
        Assert.Equal("refused", photos["tees/key.jpg"].GetProperty("outcome").GetString());
        Assert.Equal(6, photos["tees/key.jpg"].GetProperty("line").GetInt32());
        Assert.Equal(8, photos["tees/other.jpg"].GetProperty("line").GetInt32());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());

        var blobs = (await ListAsync(catalog)).ToDictionary(b => b.Name);
        Assert.Equal(["tees/good.jpg"], blobs.Keys);
        Assert.Equal("size=M", blobs["tees/good.jpg"].Metadata["labels"]);
    }

    [Fact]
    public async Task Import_PhotoThatCannotBeRead_FailsAloneWithExitCode2_ResumedRunSendsOnlyIt()
    {
        await using var catalog = new CliCatalog(azurite);
        Photo("tees/a.jpg", 0);
        Photo("tees/b.jpg", 1);
        var unreadable = Path.Combine(_folder, "tees", "broken.jpg");
        File.CreateSymbolicLink(unreadable, Path.Combine(_folder, "not-there.jpg")); // listed, but opening it fails

        var first = await CliRun.RunAsync(catalog.Args("import", _folder));
        File.Delete(unreadable);
        Photo("tees/broken.jpg", 2);
        var resumed = await CliRun.RunAsync(catalog.Args("import", _folder, "--json"));

        Assert.True(first.ExitCode == 2, first.Output);
        Assert.Contains("Uploaded 2, metadata updated 0, unchanged 0, refused 0, failed 1, of 3 photos", first.Output, StringComparison.Ordinal);
        Assert.Contains("FileNotFoundException", first.Output, StringComparison.Ordinal);
        Assert.Contains("run the same command again", first.Output, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        using var json = JsonDocument.Parse(resumed.Output);
        Assert.Equal(1, json.RootElement.GetProperty("uploaded").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("unchanged").GetInt32());
        Assert.Equal(3, (await ListAsync(catalog)).Count);
    }

    [Fact]
    public async Task Import_CancelledPartWay_LeavesOnlyWholeBlobs_AndTheNextRunSendsTheRest()
    {
        await using var catalog = new CliCatalog(azurite);
        for (var i = 0; i < 6; i++)
        {
            Photo($"tees/p{i}.jpg", i);
        }

        var import = new CatalogImport(catalog.Container, TimeProvider.System, NullLogger<CatalogImport>.Instance);
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAfter(2, cancellation); // as Ctrl+C after the second photo

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import.RunAsync(_folder, null, null, 1, progress, cancellation.Token));
        var sent = (await ListAsync(catalog)).Count;
        var resumed = await CliRun.RunAsync(catalog.Args("import", _folder));

        Assert.Equal(2, sent);
        Assert.Contains("Uploaded 4, metadata updated 0, unchanged 2,", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(6, (await ListAsync(catalog)).Count);
    }

    [Fact]
    public async Task Import_SharedMagentoPhotosWithTheirProductIdsAndALabel_SecondRunSendsNothing()
    {
        await using var catalog = new CliCatalog(azurite);
        var shop = Path.Combine(RepositoryPaths.SharedProducts, "magento-luma");
        var entries = ProductManifest.Read(Path.Combine(RepositoryPaths.SharedProducts, "manifest.csv"))
            .Where(e => e.Path.StartsWith("magento-luma/", StringComparison.Ordinal)).ToList();
        var csv = Csv(["image,category,product_id,labels", .. entries.Select(e => $"{e.Path["magento-luma/".Length..]},{e.Category},{e.ProductId},source=magento")]);

        var first = await CliRun.RunAsync(catalog.Args("import", shop, "--csv", csv, "--json"));
        var second = await CliRun.RunAsync(catalog.Args("import", shop, "--csv", csv, "--json"));

        using var one = JsonDocument.Parse(first.Output);
        using var two = JsonDocument.Parse(second.Output);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(entries.Count, one.RootElement.GetProperty("uploaded").GetInt32());
        Assert.Equal(0, two.RootElement.GetProperty("uploaded").GetInt32());
        Assert.Equal(0, two.RootElement.GetProperty("metadataUpdated").GetInt32());
        Assert.Equal(entries.Count, two.RootElement.GetProperty("unchanged").GetInt32());
        var blobs = (await ListAsync(catalog)).ToDictionary(b => b.Name);
        Assert.All(entries, e =>
        {
            var blob = blobs[$"{e.Category}/{e.ImageId}"];
            Assert.Equal(e.ProductId, blob.Metadata["productid"]);
            Assert.Equal("source=magento", blob.Metadata["labels"]);
        });
    }

    [Fact]
    public async Task Import_CsvWithoutARequiredColumn_FailsWithExitCode1AndSendsNothing()
    {
        await using var catalog = new CliCatalog(azurite);
        Photo("tees/a.jpg", 0);
        var csv = Csv("image,category,title", "tees/a.jpg,tees,A tee");

        var result = await CliRun.RunAsync(catalog.Args("import", _folder, "--csv", csv, "--json"));

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Contains("has no 'product_id' column", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(catalog));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Reason(JsonElement root, int line) =>
        root.GetProperty("badRows").EnumerateArray().First(r => r.GetProperty("line").GetInt32() == line).GetProperty("reason").GetString()!;

    private static async Task<List<BlobItem>> ListAsync(CliCatalog catalog)
    {
        var blobs = new List<BlobItem>();
        await foreach (var blob in catalog.Container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, null, CancellationToken.None))
        {
            blobs.Add(blob);
        }

        return blobs;
    }

    private void Photo(string path, int product)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, ProductPhotoGenerator.Jpeg(product, 0));
    }

    private string Csv(params string[] lines)
    {
        var path = Path.Combine(_folder, $"catalogue-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>Cancels once <paramref name="photos"/> photos are done: reported on the importing thread, so exactly then.</summary>
    private sealed class CancelAfter(int photos, CancellationTokenSource cancellation) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Done >= photos)
            {
                cancellation.Cancel();
            }
        }
    }
}
