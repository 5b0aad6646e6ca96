using System.Diagnostics;
using ProductSearch.Features;
using ProductSearch.ModelBuilding;
using ProductSearch.ModelBuilding.Quantization;
using ProductSearch.Testing.ModelBuilding;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Benchmarks.Extraction;

/// <summary>
/// Our static int8 QDQ quantisation against float32 in the same run: VGG16 single-image throughput with 2 intra-op
/// threads (goal: at least 2.5x), and on the real ResNet18 weights how many of each photo's top-4 neighbours within
/// its category the int8 vectors keep (goal: at least 90%), with the default 7-bit weights and, for comparison, full
/// range. Both models are calibrated on a spread of the shared photos; the tables name the CPU's int8 kernels.
/// </summary>
internal static class Int8Comparison
{
    private const int Threads = 2;
    private const int Neighbours = 4;

    public static async Task RunAsync(bool quick)
    {
        var folder = Path.Combine(Path.GetTempPath(), "int8-bench");
        Directory.CreateDirectory(folder);
        var vgg16 = await Vgg16Model.LoadOrBuildAsync();
        var vgg16Int8 = await QuantizeAsync(vgg16, Path.Combine(folder, "vgg16-notop-int8.onnx"), quick ? 8 : 32);
        await CompareThroughputAsync(vgg16, vgg16Int8, quick ? 8 : 24, quick ? 1 : 3);

        var resnet = ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json"));
        var photos = ProductPhotos.Load(quick ? 240 : null);
        var fp32Vectors = await VectorsAsync(resnet, photos);
        // Full-range weights only to show what the default 7-bit weights cost where full range is exact (VNNI).
        QuantizationOptions[] variants = [new(), new() { Method = CalibrationMethod.Percentile }, new() { FullRangeWeights = true }];
        foreach (var options in variants)
        {
            var weights = options.FullRangeWeights ? "full-range" : "7-bit";
            var resnetInt8 = await QuantizeAsync(resnet, Path.Combine(folder, $"resnet18-int8-{options.Method}-{weights}.onnx"), quick ? 16 : 64, options);
            CompareNeighbours($"{resnet.Id} {options.Method}, {weights} weights", photos, fp32Vectors, await VectorsAsync(resnetInt8, photos));
        }
    }

    /// <summary>Prepares, calibrates on every k-th shared photo and writes the int8 model; returns its descriptor.</summary>
    private static async Task<ModelDescriptor> QuantizeAsync(ModelDescriptor model, string output, int calibrationPhotos, QuantizationOptions? options = null)
    {
        var started = Stopwatch.GetTimestamp();
        var prepared = OnnxInt8Quantizer.Prepare(OnnxModelFile.Read(model.OnnxPath));
        var calibrator = new ActivationCalibrator(prepared, options);
        using (var extractor = ProductPhotos.CreateExtractor(Threads, model))
        {
            var tensors = await TensorsAsync(extractor, ProductPhotos.Load(calibrationPhotos));
            OrtCalibration.Calibrate(calibrator, model.Input.Name, [1, 3, model.Input.Height, model.Input.Width], tensors);
        }

        await OnnxModelFile.WriteAsync(OnnxInt8Quantizer.Quantize(prepared, calibrator.Ranges(), options), output, CancellationToken.None);
        Console.WriteLine($"{model.Id}: int8 model calibrated on {calibrator.Runs} photos in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {output}");
        return model with { OnnxPath = output };
    }

    private static async Task CompareThroughputAsync(ModelDescriptor fp32, ModelDescriptor int8, int photoCount, int rounds)
    {
        using var fp32Extractor = ProductPhotos.CreateExtractor(Threads, fp32);
        using var int8Extractor = ProductPhotos.CreateExtractor(Threads, int8);
        var tensors = await TensorsAsync(fp32Extractor, ProductPhotos.Load(photoCount));
        var rates = new Dictionary<FeatureExtractor, List<double>> { [fp32Extractor] = [], [int8Extractor] = [] };

        // Round -1 warms both sessions; rounds then alternate so that any drift in the machine hits both alike.
        for (var round = -1; round < rounds; round++)
        {
            foreach (var extractor in rates.Keys)
            {
                var started = Stopwatch.GetTimestamp();
                foreach (var tensor in tensors)
                {
                    extractor.Inference.Infer(tensor);
                }

                if (round >= 0)
                {
                    rates[extractor].Add(tensors.Count / Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
            }
        }

        var table = new ResultTable(
            $"{fp32.Id} inference, 1 image at a time, {Threads} intra-op threads, {tensors.Count} photos (best of {rounds}), int8 kernels: {Int8InstructionSet.Name}, images/s", "int8", "float32");
        table.Add("int8 QDQ / float32 throughput (goal >= 2.5x)", rates[int8Extractor].Max(), rates[fp32Extractor].Max(), Unit.PerSecond, RatioOf.FigureOverBaseline);
        table.Print();
    }

    private static void CompareNeighbours(string name, List<ProductPhoto> photos, float[][] fp32Vectors, float[][] int8Vectors)
    {
        var overlaps = new List<double>();
        foreach (var category in Enumerable.Range(0, photos.Count).GroupBy(i => photos[i].Category))
        {
            var members = category.ToList();
            foreach (var query in members)
            {
                var expected = Nearest(fp32Vectors, query, members);
                if (expected.Count > 0)
                {
                    overlaps.Add(expected.Intersect(Nearest(int8Vectors, query, members)).Count() / (double)expected.Count);
                }
            }
        }

        var cosine = Enumerable.Range(0, photos.Count).Average(i => Dot(fp32Vectors[i], int8Vectors[i]));
        var table = new ResultTable($"{name}: int8 vs float32 vectors of {photos.Count} shared photos, int8 kernels: {Int8InstructionSet.Name}", "int8", "goal");
        table.Add($"mean top-{Neighbours} overlap within category (goal >= 90%)", overlaps.Average() * 100, 90, Unit.Percent, RatioOf.FigureOverBaseline);
        table.Add("mean cosine of int8 to float32 vector of the same photo", cosine * 100, 100, Unit.Percent, RatioOf.FigureOverBaseline);
        table.Print();
    }

    private static List<int> Nearest(float[][] vectors, int query, List<int> members) => [.. members
        .Where(i => i != query)
        .OrderByDescending(i => Dot(vectors[query], vectors[i]))
        .Take(Neighbours)];

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    private static async Task<float[][]> VectorsAsync(ModelDescriptor model, List<ProductPhoto> photos)
    {
        using var extractor = ProductPhotos.CreateExtractor(Threads, model);
        var vectors = new float[photos.Count][];
        for (var i = 0; i < photos.Count; i++)
        {
            using var stream = new MemoryStream(photos[i].Bytes, writable: false);
            vectors[i] = await extractor.ExtractAsync(stream, CancellationToken.None);
        }

        return vectors;
    }

    private static async Task<List<float[]>> TensorsAsync(FeatureExtractor extractor, List<ProductPhoto> photos)
    {
        var tensors = new List<float[]>();
        var loader = new Imaging.SafeImageLoader(Microsoft.Extensions.Options.Options.Create(new Imaging.ImageLimits()));
        foreach (var photo in photos)
        {
            using var stream = new MemoryStream(photo.Bytes, writable: false);
            using Image<Rgba32> image = await loader.LoadAsync(stream, CancellationToken.None);
            var tensor = new float[extractor.Preprocessor.TensorLength];
            extractor.Preprocessor.Preprocess(image, tensor);
            tensors.Add(tensor);
        }

        return tensors;
    }
}
