using ProductSearch.Benchmarks.Breakdown;
using ProductSearch.Benchmarks.Burst;
using ProductSearch.Benchmarks.Decoding;
using ProductSearch.Benchmarks.Extraction;
using ProductSearch.Benchmarks.Filter;
using ProductSearch.Benchmarks.Indexing;
using ProductSearch.Benchmarks.Load;
using ProductSearch.Benchmarks.Memory;
using ProductSearch.Benchmarks.Query;
using ProductSearch.Benchmarks.Scan;

// dotnet run -c Release --project tests/ProductSearch.Benchmarks -- <scan|memory|load|extract|extract-vgg16|int8|query|index|thumbnails|colour|decode|breakdown|coldstart|isolation|conditional|edge|burst|overload|filter|all> [--quick]
//   scan     BenchmarkDotNet: nearest-neighbour scan vs the notebook's loop, USearch exact, the memory floor
//   memory   bytes per image, float32 vs float16, and top-N agreement on real photos
//   load     cold load of a category from Azurite vs reading the same pages raw
//   extract  feature extraction throughput vs ONNX Runtime inference alone (ResNet18)
//   extract-vgg16  the same for VGG16, with achieved GFLOP/s
//   int8     static int8 QDQ vs float32: VGG16 throughput, ResNet18 top-4 agreement
//   query    warm query latency through the function classes, and concurrent uploads vs inference alone
//   index    photos indexed through the blob-trigger function class (host.json concurrency) vs inference alone
//   thumbnails  only index's thumbnails part: indexing with thumbnails vs without, and the processor time of app, decoders and Azurite per photo
//   colour   by-id query latency with colour at the default weight vs the same catalogue at weight 0 and vs the app before colour (also part of query)
//   breakdown  one lone by-photo query stage by stage beside inference alone, and over HTTP (Kestrel) vs the function class
//   coldstart  services started from nothing to the first by-id and by-photo answer, beside session creation and category load alone
//   decode   the slowest legitimate image of each format (40 MP with noise) loaded vs the decode time limit
//   conditional  a by-id request answered 304 from its ETag vs the full answer, over HTTP at 10,000 images
//   edge     a month of product-page views through an edge cache that follows the answers' headers: what reaches the origin
//   isolation  the decoder processes vs decoding in-process: a lone photo's extraction, throughput, memory in a burst of 32 large photos
//   burst    200 photos uploaded within a second into Azurite with the local sample settings: time until all are answerable by id, trigger vs reconciliation
//   filter   "more like this" restricted to 50% and 1% of 10,000 rows vs unfiltered, and where a masked search stops scanning blocks
//   overload  rounds of 32 concurrent 6000x4000 uploads over HTTP while by-id queries run: answers by status, memory, by-id p95 split by leg, beside a yardstick server (not part of all)
// Roles another benchmark starts this executable in, to keep them out of its own process (not listed above).
switch (args.FirstOrDefault())
{
    case OverloadApp.Command:
        return await OverloadApp.RunAsync();
    case OverloadShopper.Command:
        return await OverloadShopper.RunAsync();
    case OverloadControlServer.Command:
        return await OverloadControlServer.RunAsync();
}

var quick = args.Contains("--quick");
var which = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "all";
var all = which == "all";
if (!all && which is not ("scan" or "memory" or "load" or "extract" or "extract-vgg16" or "query" or "index" or "thumbnails" or "int8" or "colour" or "decode" or "breakdown" or "coldstart" or "isolation" or "conditional" or "edge" or "burst" or "overload" or "filter"))
{
    Console.Error.WriteLine($"Unknown benchmark '{which}': use scan, memory, load, extract, extract-vgg16, query, index, thumbnails, int8, colour, decode, breakdown, coldstart, isolation, conditional, edge, burst, overload, filter or all, optionally with --quick.");
    return 2;
}

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, .NET {Environment.Version}, quick: {quick}");
if (all || which == "memory")
{
    await CompactStorageReport.RunAsync(quick);
}

if (all || which == "load")
{
    await ColdLoadBenchmark.RunAsync(quick);
}

if (all || which == "extract")
{
    await ExtractionThroughput.RunAsync(quick);
}

if (all || which == "extract-vgg16")
{
    await ExtractionThroughput.RunAsync(quick, await Vgg16Model.LoadOrBuildAsync(), Vgg16Model.GflopPerImage);
}

if (all || which == "int8")
{
    await Int8Comparison.RunAsync(quick);
}

if (all || which == "query")
{
    await QueryLatencyBenchmark.RunAsync(quick);
}

if (which == "colour")
{
    await QueryLatencyBenchmark.RunColourCostAsync(quick);
}

if (all || which == "breakdown")
{
    await PhotoSearchBreakdown.RunAsync(quick);
}

if (all || which == "conditional")
{
    await ConditionalQueryBenchmark.RunAsync(quick);
}

if (all || which == "edge")
{
    EdgeCacheSimulation.Run(quick);
}

if (all || which == "coldstart")
{
    await ColdStartBenchmark.RunAsync(quick);
}

if (all || which == "index")
{
    await IndexingThroughputBenchmark.RunAsync(quick);
}

if (all || which == "decode")
{
    await DecodeLimitReport.RunAsync(quick);
}

if (all || which == "isolation")
{
    await IsolationCostBenchmark.RunAsync(quick);
}

if (which == "thumbnails")
{
    await IndexingThroughputBenchmark.RunThumbnailsAsync(quick);
}

if (which == "burst")
{
    await LocalBurstBenchmark.RunAsync(quick);
}

if (which == "overload")
{
    await OverloadBenchmark.RunAsync(quick);
}

if (all || which == "filter")
{
    FilteredSearchBenchmark.Run(quick);
}

if (all || which == "scan")
{
    ScanSuite.Run(quick);
}

return 0;
