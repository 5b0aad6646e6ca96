using System.Globalization;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Benchmarks.Scan;
using ProductSearch.Search;
using ProductSearch.Storage;
using ProductSearch.Vectors;

namespace ProductSearch.Benchmarks.Memory;

/// <summary>
/// Bytes per indexed image, float32 against float16 and the int8 scan codes, and how often each returns exactly the
/// float32 top N (same rows, same order) on features of the real photos computed by the real pipeline.
/// </summary>
internal static class CompactStorageReport
{
    private const int Dimension = 512;

    // Each storage option, built from a category's float32 rows, as a search over it.
    private static readonly (string Name, Func<VectorMatrix, Func<float[], int, int, List<Neighbour>>> Build)[] Options =
    [
        ("float16", full =>
        {
            var rows = Float16VectorMatrix.From(full);
            return (query, top, excluded) => NearestNeighbourSearch.Search(rows, query, top, excludedRow: excluded);
        }),
        ("int8 scan + float16", full =>
        {
            var rows = new Int8PrefilteredMatrix(Float16VectorMatrix.From(full));
            return (query, top, excluded) => NearestNeighbourSearch.Search(rows, query, top, excludedRow: excluded);
        }),
        ("int8 scan + float32", full =>
        {
            var rows = new Int8PrefilteredMatrix(full);
            return (query, top, excluded) => NearestNeighbourSearch.Search(rows, query, top, excludedRow: excluded);
        }),
    ];

    public static async Task RunAsync(bool quick)
    {
        var table = new ResultTable("Memory per indexed image (512-d ResNet18 vectors)", "float16", "float32");
        table.Add("matrix bytes per image", new Float16VectorMatrix(Dimension).BytesPerVector, new VectorMatrix(Dimension).BytesPerVector, Unit.Bytes, RatioOf.BaselineOverFigure);
        // Everything but the vectors (ids, urls, row map) is the same in both: measured once on a float32 index.
        var (indexBytes, matrixBytes) = MeasureCategoryIndex(quick ? 2_000 : 10_000);
        var metadata = indexBytes - matrixBytes;
        table.Add("whole category index per image, matrix sized exactly", metadata + (Dimension * 2), metadata + (Dimension * 4), Unit.Bytes, RatioOf.BaselineOverFigure);
        table.Add("of which ids, urls and row map (same for both)", metadata, metadata, Unit.Bytes, RatioOf.BaselineOverFigure);
        table.Add("float32 matrix today, built by Apply (doubling spare)", matrixBytes, Dimension * 4, Unit.Bytes, RatioOf.FigureOverBaseline);
        table.Print();

        // The int8 codes are scanned instead of the rows and kept beside them: one byte per value and a float scale.
        var rows = new VectorMatrix(Dimension, 1_000);
        for (var i = 0; i < 1_000; i++)
        {
            rows.Add(UnitVectors.Create(Dimension, seed: i));
        }

        var codesPerImage = (new Int8PrefilteredMatrix(rows).AllocatedBytes - rows.AllocatedBytes) / 1_000.0;
        var int8 = new ResultTable("Int8 scan codes (Search:Int8Scan), bytes per image", "with codes", "float32");
        int8.Add("int8 codes + float16 rows", codesPerImage + (Dimension * 2), Dimension * 4, Unit.Bytes, RatioOf.BaselineOverFigure);
        int8.Add("int8 codes + float32 rows", codesPerImage + (Dimension * 4), Dimension * 4, Unit.Bytes, RatioOf.BaselineOverFigure);
        int8.Add("bytes the scan reads, int8 codes vs float32 rows", Dimension, Dimension * 4, Unit.Bytes, RatioOf.BaselineOverFigure);
        int8.Print();

        var photos = ProductPhotos.Load();
        var features = await ExtractAsync(photos);
        var agreement = new ResultTable($"Top N identical to float32 on {photos.Count} real photos (goal >= 99 %)", "identical", "of queries");
        foreach (var option in Options)
        {
            foreach (var top in new[] { 4, 10 })
            {
                AddAgreement(agreement, $"{option.Name}: each photo vs its category, top {top}", option.Build, photos, features, top, byCategory: true);
                AddAgreement(agreement, $"{option.Name}: each photo vs all {photos.Count} photos, top {top}", option.Build, photos, features, top, byCategory: false);
            }
        }

        agreement.Print();

        // The int8 scan keeps N + its re-rank margin candidates for the exact re-rank: this is how many it needed.
        var margin = ((IScannableRows)new Int8PrefilteredMatrix(new VectorMatrix(Dimension))).RerankMargin;
        var depth = new ResultTable($"Int8 scan: deepest int8 rank of a float32 top-N neighbour on {photos.Count} real photos", "deepest", "kept");
        foreach (var top in new[] { 4, 10 })
        {
            depth.Add($"each photo vs its category, top {top}", DeepestInt8Rank(photos, features, top, byCategory: true), top + margin, Unit.Count, RatioOf.FigureOverBaseline);
            depth.Add($"each photo vs all {photos.Count} photos, top {top}", DeepestInt8Rank(photos, features, top, byCategory: false), top + margin, Unit.Count, RatioOf.FigureOverBaseline);
        }

        depth.Print();
    }

    private static int DeepestInt8Rank(List<ProductPhoto> photos, float[][] features, int top, bool byCategory)
    {
        var deepest = 0;
        foreach (var (members, full) in Groups(photos, features, byCategory))
        {
            IScannableRows int8 = new Int8PrefilteredMatrix(full);
            var scratch = new float[int8.ScratchLength];
            var scores = new float[members.Length];
            for (var row = 0; row < members.Length; row++)
            {
                var query = features[members[row]];
                int8.PrepareQuery(query, scratch);
                int8.Score(query, 0, scores, scratch);

                scores[row] = float.PositiveInfinity; // the query photo itself is excluded, as in a by-id query
                foreach (var neighbour in NearestNeighbourSearch.Search(full, query, top, excludedRow: row))
                {
                    var rank = 1 + scores.Count(score => score < scores[neighbour.Row]);
                    deepest = Math.Max(deepest, rank);
                }
            }
        }

        return deepest;
    }

    // The photos as the search sees them: one matrix per category (or one of all), row i being members[i].
    private static IEnumerable<(int[] Members, VectorMatrix Rows)> Groups(List<ProductPhoto> photos, float[][] features, bool byCategory)
    {
        foreach (var group in photos.Select((p, i) => (p.Category, Index: i)).GroupBy(p => byCategory ? p.Category : ""))
        {
            var members = group.Select(p => p.Index).ToArray();
            var rows = new VectorMatrix(Dimension, members.Length);
            foreach (var member in members)
            {
                rows.Add(features[member]);
            }

            yield return (members, rows);
        }
    }

    private static (double IndexBytes, double MatrixBytes) MeasureCategoryIndex(int count)
    {
        var vector = UnitVectors.Create(Dimension, seed: 1);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var index = new CategoryIndex("chairs", "resnet18-imagenet-avg");
        for (var i = 0; i < count; i++)
        {
            var id = i.ToString("x8", CultureInfo.InvariantCulture) + ".jpg";
            index.Apply(id, new ProductVector("chairs", id, "product-" + i.ToString(CultureInfo.InvariantCulture), "https://example.blob.core.windows.net/product-images/chairs/" + id, "resnet18-imagenet-avg", "", default, vector));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var matrixBytes = (double)index.MatrixBytes / count;
        GC.KeepAlive(index);
        return ((after - before) / (double)count, matrixBytes);
    }

    private static void AddAgreement(
        ResultTable table, string name, Func<VectorMatrix, Func<float[], int, int, List<Neighbour>>> build, List<ProductPhoto> photos, float[][] features, int top, bool byCategory)
    {
        var identical = 0;
        var sameSet = 0;
        var queries = 0;
        foreach (var (members, full) in Groups(photos, features, byCategory))
        {
            var search = build(full);
            for (var row = 0; row < members.Length; row++)
            {
                var expected = NearestNeighbourSearch.Search(full, features[members[row]], top, excludedRow: row).Select(n => n.Row).ToList();
                var actual = search(features[members[row]], top, row).Select(n => n.Row).ToList();
                identical += expected.SequenceEqual(actual) ? 1 : 0;
                sameSet += expected.Order().SequenceEqual(actual.Order()) ? 1 : 0;
                queries++;
            }
        }

        table.Add(name + ", same rows in same order", 100.0 * identical / queries, 100, Unit.Percent, RatioOf.FigureOverBaseline);
        table.Add(name + ", same rows in any order", 100.0 * sameSet / queries, 100, Unit.Percent, RatioOf.FigureOverBaseline);
    }

    private static async Task<float[][]> ExtractAsync(List<ProductPhoto> photos)
    {
        using var extractor = ProductPhotos.CreateExtractor();
        var features = new float[photos.Count][];
        for (var i = 0; i < photos.Count; i++)
        {
            using var stream = new MemoryStream(photos[i].Bytes, writable: false);
            features[i] = await extractor.ExtractAsync(stream, CancellationToken.None);
        }

        return features;
    }
}
