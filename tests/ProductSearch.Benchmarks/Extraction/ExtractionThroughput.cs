using System.Diagnostics;
using ProductSearch.Features;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Benchmarks.Extraction;

/// <summary>
/// Images per second through the whole path (decode, resize, tensor, inference, pooling) against ONNX Runtime
/// inference alone on the same tensors, with one caller and with four concurrent callers, for the default use of the
/// cores (<c>Model__IntraOpThreads=0</c>: all cores for a lone inference, one each under concurrency) and for a fixed
/// single-threaded inference per core (<c>Model__IntraOpThreads=1</c>).
/// </summary>
internal static class ExtractionThroughput
{
    private const int Callers = 4;

    /// <param name="gflopPerImage">The model's cost per image, to print achieved GFLOP/s (VGG16 at 224: 30.7).</param>
    public static async Task RunAsync(bool quick, ModelDescriptor? model = null, double? gflopPerImage = null)
    {
        var photos = ProductPhotos.Load(quick ? 40 : 100);
        var rounds = quick ? 1 : 3;
        using var extractor = ProductPhotos.CreateExtractor(model: model);
        using var perCore = ProductPhotos.CreateExtractor(intraOpThreads: 1, model: model);
        var tensors = await PreprocessAsync(extractor, photos);
        var cores = Environment.ProcessorCount;

        var contenders = new (string Name, Func<Task> Run)[]
        {
            ("inference alone, 1 caller", () => ConcurrentCallers.RunAsync(1, photos.Count, i => { extractor.Inference.Infer(tensors[i]); return Task.CompletedTask; })),
            ("inference alone, 4 callers (no gate)", () => ConcurrentCallers.RunAsync(Callers, photos.Count, i => { extractor.Inference.Infer(tensors[i]); return Task.CompletedTask; })),
            ("inference alone, 1 thread x cores", () => ConcurrentCallers.RunAsync(cores, photos.Count, i => { perCore.Inference.Infer(tensors[i]); return Task.CompletedTask; })),
            ("whole path, 1 caller", () => ConcurrentCallers.RunAsync(1, photos.Count, i => ExtractAsync(extractor, photos[i]))),
            ("whole path, 4 callers", () => ConcurrentCallers.RunAsync(Callers, photos.Count, i => ExtractAsync(extractor, photos[i]))),
            ("whole path, 4 callers, 1 thread x cores", () => ConcurrentCallers.RunAsync(Callers, photos.Count, i => ExtractAsync(perCore, photos[i]))),
            ("pre-processing alone, 4 callers", () => ConcurrentCallers.RunAsync(Callers, photos.Count, i => PreprocessOneAsync(extractor, photos[i]))),
        };
        var rates = contenders.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = -1; round < rounds; round++)
        {
            foreach (var (name, run) in contenders)
            {
                var started = Stopwatch.GetTimestamp();
                await run();
                if (round >= 0)
                {
                    rates[name].Add(photos.Count / Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }
        }

        double Best(string name) => rates[name].Max();
        var inference = new[] { "inference alone, 1 caller", "inference alone, 4 callers (no gate)", "inference alone, 1 thread x cores" }.Max(Best);
        var table = new ResultTable($"{extractor.Model.Id} feature extraction, {photos.Count} photos (best of {rounds}), images/s", "figure", "baseline");
        table.Add("whole path 4 callers / best inference alone (goal >= 0.9x)", Best("whole path, 4 callers"), inference, Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("whole path 4 callers, 1 thread x cores / best inference alone (goal >= 0.9x)", Best("whole path, 4 callers, 1 thread x cores"), inference, Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("inference 1 thread x cores / inference 1 caller", Best("inference alone, 1 thread x cores"), Best("inference alone, 1 caller"), Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("whole path 1 caller / inference alone 1 caller", Best("whole path, 1 caller"), Best("inference alone, 1 caller"), Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("whole path 4 callers / whole path 1 caller", Best("whole path, 4 callers"), Best("whole path, 1 caller"), Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("inference 4 callers (no gate) / inference 1 caller", Best("inference alone, 4 callers (no gate)"), Best("inference alone, 1 caller"), Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Add("pre-processing alone 4 callers / inference alone 1 caller", Best("pre-processing alone, 4 callers"), Best("inference alone, 1 caller"), Unit.PerSecond, RatioOf.FigureOverBaseline);
        if (gflopPerImage is { } gflop)
        {
            table.Add("GFLOP/s: whole path 1 caller / inference alone", Best("whole path, 1 caller") * gflop, inference * gflop, Unit.PerSecond, RatioOf.FigureOverBaseline);
        }

        table.Print();
    }

    private static async Task ExtractAsync(FeatureExtractor extractor, ProductPhoto photo)
    {
        using var stream = new MemoryStream(photo.Bytes, writable: false);
        await extractor.ExtractAsync(stream, CancellationToken.None);
    }

    private static async Task PreprocessOneAsync(FeatureExtractor extractor, ProductPhoto photo)
    {
        var tensor = new float[extractor.Preprocessor.TensorLength];
        using var image = await LoadAsync(photo);
        extractor.Preprocessor.Preprocess(image, tensor);
    }

    private static async Task<Memory<float>[]> PreprocessAsync(FeatureExtractor extractor, List<ProductPhoto> photos)
    {
        var tensors = new Memory<float>[photos.Count];
        for (var i = 0; i < photos.Count; i++)
        {
            var tensor = new float[extractor.Preprocessor.TensorLength];
            using var image = await LoadAsync(photos[i]);
            extractor.Preprocessor.Preprocess(image, tensor);
            tensors[i] = tensor;
        }

        return tensors;
    }

    private static async Task<Image<Rgba32>> LoadAsync(ProductPhoto photo)
    {
        using var stream = new MemoryStream(photo.Bytes, writable: false);
        return await new SafeImageLoader(Microsoft.Extensions.Options.Options.Create(new ImageLimits())).LoadAsync(stream, CancellationToken.None);
    }
}
