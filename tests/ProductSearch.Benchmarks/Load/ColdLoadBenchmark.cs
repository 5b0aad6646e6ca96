using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProductSearch.Benchmarks.Scan;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Benchmarks.Load;

/// <summary>
/// Cold load of one category from Table Storage on a real Azurite (started here, as the integration tests do),
/// against reading the same query's pages with no decoding at all. Contenders alternate in each round so a
/// slow moment of the machine hits them alike; the medians are compared.
/// </summary>
internal static class ColdLoadBenchmark
{
    internal const string Category = "chairs";
    internal const string ModelId = "resnet18-imagenet-avg";
    internal const int Dimension = 512;

    // Image ids are hex names (all 16 first characters equally likely), so these splits give even ranges.
    private static readonly string[] OneRange = [];
    private static readonly string[] TwoRanges = ["8"];
    private static readonly string[] FourRanges = ["4", "8", "c"];

    public static async Task RunAsync(bool quick)
    {
        var count = quick ? 2_000 : 10_000;
        var rounds = quick ? 3 : 7;
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var table = new ProductVectorTable(
                new TableServiceClient(azurite.ConnectionString), Options.Create(new StorageOptions { VectorTable = "loadbench" }), TimeProvider.System);
            await table.EnsureCreatedAsync();
            await WriteAsync(table.Client, count);

            var contenders = new (string Name, Func<Task<int>> Run)[]
            {
                ("raw pages", () => RawReadAsync(table.Client)),
                ("raw pages, 2 ranges at once", () => RawReadInRangesAsync(table.Client, TwoRanges)),
                ("raw pages, 4 ranges at once", () => RawReadInRangesAsync(table.Client, FourRanges)),
                ("ReadCategoryMatrixAsync, 1 range", async () => (await table.Matrices.ReadAsync(Category, ModelId, CancellationToken.None, OneRange)).Images.Count),
                ("ReadCategoryMatrixAsync, 2 ranges", async () => (await table.Matrices.ReadAsync(Category, ModelId, CancellationToken.None, TwoRanges)).Images.Count),
                ("ReadCategoryMatrixAsync, 4 ranges", async () => (await table.Matrices.ReadAsync(Category, ModelId, CancellationToken.None, FourRanges)).Images.Count),
                ("ReadCategoryMatrixAsync, default splits (Storage:LoadRangeSplits)", async () => (await table.Matrices.ReadAsync(Category, ModelId, CancellationToken.None)).Images.Count),
                ("before: ReadCategoryAsync + CategoryIndex.Apply", () => ReadIntoIndexAsync(table)),
            };
            var times = contenders.ToDictionary(c => c.Name, _ => new List<double>());
            for (var round = -1; round < rounds; round++)
            {
                foreach (var (name, run) in contenders)
                {
                    var started = Stopwatch.GetTimestamp();
                    var read = await run();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (read != count)
                    {
                        throw new InvalidOperationException($"{name} read {read} vectors; {count} were written.");
                    }

                    if (round >= 0)
                    {
                        times[name].Add(elapsed); // Round -1 warms up the JIT and connections.
                    }
                }
            }

            Print(count, rounds, times);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static void Print(int count, int rounds, Dictionary<string, List<double>> times)
    {
        double Median(string name) => Samples.Median(times[name]);
        var raw = Median("raw pages");
        var table = new ResultTable($"Cold load of {count:N0} x {Dimension} vectors from Azurite (median of {rounds})", "figure", "raw pages");
        foreach (var name in times.Keys.Where(n => n != "raw pages"))
        {
            table.Add($"{name}, time/raw (goal <= 1.2x for the load)", Median(name), raw, Unit.Milliseconds, RatioOf.FigureOverBaseline);
        }

        foreach (var name in times.Keys)
        {
            table.Add($"{name}, vectors/s vs raw", count / (Median(name) / 1000), count / (raw / 1000), Unit.PerSecond, RatioOf.FigureOverBaseline);
        }

        table.Print();
    }

    /// <summary>Writes <paramref name="count"/> random unit vectors into the category; returns their image ids.</summary>
    /// <param name="colour">Also a random colour descriptor of this id and length in every row; null for rows as they were before colour.</param>
    internal static async Task<List<string>> WriteAsync(TableClient client, int count, string modelId = ModelId, ColourColumns? colour = null)
    {
        var ids = new List<string>(count);
        var random = new Random(3);
        var vector = new float[Dimension];
        var batch = new List<TableTransactionAction>(100);
        for (var i = 0; i < count; i++)
        {
            UnitVectors.Fill(vector, Dimension, seed: i);
            var id = ((uint)random.NextInt64(1L << 32)).ToString("x8", CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture) + ".jpg";
            ids.Add(id);
            var entity = VectorEntityCodec.ToEntity(new ProductVector(
                Category, id, "product-" + i.ToString(CultureInfo.InvariantCulture), "https://example.blob.core.windows.net/product-images/chairs/" + id,
                modelId, "\"0x8DC\"", DateTimeOffset.UnixEpoch, vector, colour?.Id, colour is { } c ? RandomHistogram(random, c.Dimension) : null));
            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            if (batch.Count == 100 || i == count - 1)
            {
                await client.SubmitTransactionAsync(batch);
                batch.Clear();
            }
        }

        return ids;
    }

    // The same query as the load, pages read and counted, nothing decoded: the cost the load cannot avoid.
    private static async Task<int> RawReadAsync(TableClient client, string from = "", string to = "~")
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeyCodec.Encode(Category)} and RowKey ge {from} and RowKey lt {to}");
        var read = 0;
        await foreach (var page in client.QueryAsync<TableEntity>(filter, maxPerPage: 1000).AsPages())
        {
            read += page.Values.Count;
        }

        return read;
    }

    private static async Task<int> RawReadInRangesAsync(TableClient client, string[] splits)
    {
        var bounds = new[] { "" }.Concat(splits).Append("~").ToArray();
        var reads = await Task.WhenAll(Enumerable.Range(0, bounds.Length - 1).Select(i => RawReadAsync(client, bounds[i], bounds[i + 1])));
        return reads.Sum();
    }

    private static async Task<int> ReadIntoIndexAsync(ProductVectorTable table)
    {
        using var index = new CategoryIndex(Category, ModelId);
        await foreach (var vector in table.ReadCategoryAsync(Category, CancellationToken.None))
        {
            index.Apply(vector.ImageId, vector);
        }

        return index.Count;
    }

    // A sparse, non-negative unit vector, as a square-rooted colour histogram is: 15 non-zero bins, the median of the
    // shared photos' 216-bin histograms (p90 23), since a query's cost grows with its non-zero bins.
    internal static float[] RandomHistogram(Random random, int dimension)
    {
        var histogram = new float[dimension];
        foreach (var bin in Enumerable.Range(0, dimension).OrderBy(_ => random.Next()).Take(Math.Min(15, dimension)))
        {
            histogram[bin] = (float)random.NextDouble() + 1e-3f;
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(histogram, System.Numerics.Tensors.TensorPrimitives.Norm(histogram), histogram);
        return histogram;
    }
}
