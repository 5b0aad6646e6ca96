using BenchmarkDotNet.Attributes;
using ProductSearch.Search;
using ProductSearch.Vectors;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>
/// One query against a category of N random unit vectors, top 4 (the storefront's default), by every contender
/// on the same data: ours on both cores and on one, ours on float16, ours scanning int8 codes first, the notebook's way, USearch's exact
/// search, and the memory floor.
/// </summary>
public class ScanBenchmarks
{
    private const int Top = 4;

    private VectorMatrix _matrix = null!;
    private Float16VectorMatrix _compact = null!;
    private Int8PrefilteredMatrix _int8 = null!;
    private float[] _rows = [];
    private float[] _query = [];
    private readonly ulong[] _keys = new ulong[Top];
    private readonly float[] _distances = new float[Top];

    public static bool Quick { get; set; }

    public static IEnumerable<ScanShape> Shapes() => Quick
        ? [new(1_000, 512), new(10_000, 512), new(100_000, 512), new(1_000, 25_088)]
        : [new(1_000, 512), new(10_000, 512), new(100_000, 512), new(1_000, 25_088), new(10_000, 25_088)];

    [ParamsSource(nameof(Shapes))]
    public ScanShape Shape { get; set; } = new(1_000, 512);

    [GlobalSetup]
    public void Setup()
    {
        _rows = new float[(long)Shape.Count * Shape.Dimension];
        UnitVectors.Fill(_rows, Shape.Dimension, seed: 42);
        _query = UnitVectors.Create(Shape.Dimension, seed: 7);
        _matrix = new VectorMatrix(Shape.Dimension, Shape.Count);
        for (var row = 0; row < Shape.Count; row++)
        {
            _matrix.Add(_rows.AsSpan(row * Shape.Dimension, Shape.Dimension));
        }

        _compact = Float16VectorMatrix.From(_matrix);
        _int8 = new Int8PrefilteredMatrix(Float16VectorMatrix.From(_matrix));
        CheckAgreement();
    }

    [Benchmark(Description = "ours, both cores")]
    public int Ours() => NearestNeighbourSearch.Search(_matrix, _query, Top)[0].Row;

    [Benchmark(Description = "ours, one core")]
    public int OursOneCore() => NearestNeighbourSearch.Search(_matrix, _query, Top, maxParallelism: 1)[0].Row;

    [Benchmark(Description = "ours float16, both cores")]
    public int OursFloat16() => NearestNeighbourSearch.Search(_compact, _query, Top)[0].Row;

    [Benchmark(Description = "ours int8 codes + float16 re-rank, both cores")]
    public int OursInt8() => NearestNeighbourSearch.Search(_int8, _query, Top)[0].Row;

    [Benchmark(Baseline = true, Description = "notebook: scalar loop + full sort")]
    public int Notebook() => NotebookSearch.Search(_rows, Shape.Dimension, _query, Top)[0];

    [Benchmark(Description = "USearch exact, both cores")]
    public ulong USearch() => USearchExact.Search(_rows, Shape.Dimension, _query, Top, Environment.ProcessorCount, _keys, _distances);

    [Benchmark(Description = "USearch exact, one core")]
    public ulong USearchOneCore() => USearchExact.Search(_rows, Shape.Dimension, _query, Top, 1, _keys, _distances);

    [Benchmark(Description = "memory floor, both cores")]
    public float Floor() => MemoryFloor.Sum(_rows, Environment.ProcessorCount);

    [Benchmark(Description = "memory floor of the float16 bytes, both cores")]
    public float FloorFloat16() => MemoryFloor.Sum(_rows, Environment.ProcessorCount, _rows.Length / 2);

    [Benchmark(Description = "memory floor of the int8 bytes, both cores")]
    public float FloorInt8() => MemoryFloor.Sum(_rows, Environment.ProcessorCount, _rows.Length / 4);

    [Benchmark(Description = "memory floor, one core")]
    public float FloorOneCore() => MemoryFloor.Sum(_rows, 1);

    // A fast wrong answer is worth nothing: every contender must find the same neighbours.
    private void CheckAgreement()
    {
        var ours = NearestNeighbourSearch.Search(_matrix, _query, Top).Select(n => n.Row).ToArray();
        var oneCore = NearestNeighbourSearch.Search(_matrix, _query, Top, maxParallelism: 1).Select(n => n.Row).ToArray();
        var notebook = NotebookSearch.Search(_rows, Shape.Dimension, _query, Top);
        // float16 rounds the stored vectors, so its answer is checked against the exact answer on the rounded rows.
        var compact = NearestNeighbourSearch.Search(_compact, _query, Top).Select(n => n.Row).ToArray();
        var rounded = new float[_rows.Length];
        for (var row = 0; row < Shape.Count; row++)
        {
            _compact.CopyRow(row, rounded.AsSpan(row * Shape.Dimension, Shape.Dimension));
        }

        var compactExact = NotebookSearch.Search(rounded, Shape.Dimension, _query, Top);
        // int8 only picks candidates among the float16 rows: it must find what float16 finds.
        var int8 = NearestNeighbourSearch.Search(_int8, _query, Top).Select(n => n.Row).ToArray();
        USearchExact.Search(_rows, Shape.Dimension, _query, Top, 1, _keys, _distances);
        var usearch = _keys.Select(k => (int)k).ToArray();
        if (!ours.SequenceEqual(notebook) || !oneCore.SequenceEqual(notebook) || !usearch.SequenceEqual(notebook) || !compact.SequenceEqual(compactExact) || !int8.SequenceEqual(compactExact))
        {
            throw new InvalidOperationException(
                $"Disagreement at {Shape}: ours [{string.Join(",", ours)}], one core [{string.Join(",", oneCore)}], " +
                $"notebook [{string.Join(",", notebook)}], USearch [{string.Join(",", usearch)}], " +
                $"float16 [{string.Join(",", compact)}] and int8 [{string.Join(",", int8)}] vs exact on the float16 rows [{string.Join(",", compactExact)}].");
        }
    }
}
