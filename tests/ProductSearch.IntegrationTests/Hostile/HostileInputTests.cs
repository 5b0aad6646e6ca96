using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ProductSearch.Functions;
using ProductSearch.Functions.Http;
using ProductSearch.IntegrationTests.Infrastructure;
using ProductSearch.Storage;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>Every hostile or odd input through both doors (blob trigger and HTTP upload), on the real decoder and model.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostileInputTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Category = "hostile";

    // Largest legitimate transient use while the corpus runs: the bounded read's buffer (20 MB, rented as
    // 32 MB), the 4000x3000 lying JPEG decoded before it is refused (48 MB of RGBA), ImageSharp's pool
    // (64 MB cap) and ONNX scratch. The bomb alone would ask for 40 GB, the 25 MB file for 25 MB more.
    private const long MemoryBoundBytes = 256L * 1024 * 1024;

    private FunctionAppHarness _app = null!;
    private List<string> _seeded = null!;

    public async Task InitializeAsync()
    {
        _app = new FunctionAppHarness(azurite);
        _seeded = await _app.SeedAsync(Category);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task BlobTriggerRejectsEachBadInputWithItsReasonAndIndexesEachOddButValidOne()
    {
        var problems = new List<string>();
        foreach (var input in HostileImageCorpus.All)
        {
            var blob = await _app.UploadAsync(Category, "in/" + input.Name, input.Bytes);

            // Must return normally: a throw would make the host retry a permanent problem.
            await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);

            var vector = await _app.VectorRowAsync(Category, "in/" + input.Name);
            var failure = await _app.Failures().GetAsync(Category, "in/" + input.Name, CancellationToken.None);
            if (input.IsIndexed)
            {
                Check(vector is not null, $"{input}: expected a vector, got none (failure: {failure?.Reason} {failure?.Message})");
                Check(failure is null, $"{input}: indexed but has a failure row");
            }
            else
            {
                Check(vector is null, $"{input}: rejected but has a vector");
                Check(failure?.Reason == input.Rejection.ToString(), $"{input}: expected failure {input.Rejection}, got {failure?.Reason ?? "no row"} ({failure?.Message})");
                Check(failure?.BlobETag == (await blob.ETagOfAsync()).ToString(), $"{input}: failure row does not name the blob version");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        await AssertSeededImagesStillAnswerAsync();

        void Check(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add(problem);
            }
        }
    }

    [Fact]
    public async Task UploadAnswersEachBadInputWithItsStatusAndProblemBody()
    {
        var function = _app.Function<SimilarByUpload>();
        var problems = new List<string>();
        foreach (var input in HostileImageCorpus.All)
        {
            var result = await function.RunAsync(HttpRequests.Post(input.Bytes), Category, CancellationToken.None);
            var status = result is ObjectResult o ? o.StatusCode ?? 200 : -1;
            if (status != input.HttpStatus)
            {
                problems.Add($"{input}: expected {input.HttpStatus}, got {status} ({(result as ObjectResult)?.Value})");
            }
            else if (status != 200 && result is ObjectResult { Value: not ProblemDetails })
            {
                problems.Add($"{input}: {status} without a problem body");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task UploadRefusesAnOversizedBodyWithoutContentLengthAsItStreams()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        var body = new CountingStream(HostileImageCorpus.Get("too-large-25mb.jpg").Bytes);
        context.Request.Body = body; // Chunked: no Content-Length to refuse up front.

        var result = await _app.Function<SimilarByUpload>().RunAsync(context.Request, Category, CancellationToken.None);

        Assert.Equal(413, Assert.IsType<ObjectResult>(result).StatusCode);
        Assert.True(body.BytesRead <= (20 * 1024 * 1024) + (1024 * 1024), $"read {body.BytesRead} bytes of a 25 MB body");
    }

    [Fact]
    public async Task UploadToAnUnknownCategoryIsNotFoundWhateverTheBytes()
    {
        var result = await _app.Function<SimilarByUpload>().RunAsync(
            HttpRequests.Post(HostileImageCorpus.Get("text-named.jpg").Bytes), "no-such-category", CancellationToken.None);

        var problem = Assert.IsType<ObjectResult>(result);
        Assert.Equal(404, problem.StatusCode);
        Assert.IsType<ProblemDetails>(problem.Value);
    }

    [Fact]
    public async Task HostileInputsKeepMemoryBoundedThroughBothDoors()
    {
        // Warm up both paths so the model's arenas and pools are part of the baseline.
        await _app.Function<SimilarByUpload>().RunAsync(HttpRequests.Post(ProductPhotoGenerator.Jpeg(0, 9)), Category, CancellationToken.None);
        var baseline = WorkingSet();
        ResidentPeak.Reset();

        foreach (var input in HostileImageCorpus.All.Where(i => !i.IsIndexed))
        {
            var blob = await _app.UploadAsync(Category, "mem/" + input.Name, input.Bytes);
            await _app.Function<IndexProductImage>().RunAsync(blob, Category, CancellationToken.None);
            await _app.Function<SimilarByUpload>().RunAsync(HttpRequests.Post(input.Bytes), Category, CancellationToken.None);
        }

        var peak = ResidentPeak.Read();
        Assert.True(peak - baseline < MemoryBoundBytes, $"working set grew by {(peak - baseline) / (1024 * 1024)} MB (bound {MemoryBoundBytes / (1024 * 1024)} MB)");
        await AssertSeededImagesStillAnswerAsync();
    }

    [Fact]
    public async Task CmykAndProgressiveJpegsIndexAsTheSamePixelsInRgb()
    {
        var reference = await VectorOfAsync(HostileImageCorpus.BlockyReferencePng());

        // DC-only blocks decode to the block means exactly, up to rounding of the colour conversion.
        var cmyk = Distance(reference, await VectorOfAsync(HostileImageCorpus.Get("cmyk-adobe.jpg").Bytes));
        var progressive = Distance(reference, await VectorOfAsync(HostileImageCorpus.Get("progressive.jpg").Bytes));
        Assert.True(cmyk < 0.02 && progressive < 0.02, $"distances: CMYK {cmyk}, progressive {progressive}");
    }

    [Fact]
    public async Task ExifRotatedPhotoIndexesAsTheUprightPhoto()
    {
        var upright = await VectorOfAsync(HostileImageCorpus.UprightJpeg());
        var rotated = await VectorOfAsync(HostileImageCorpus.Get("exif-rotated.jpg").Bytes);
        using var sideways = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(HostileImageCorpus.Get("exif-rotated.jpg").Bytes);
        sideways.Metadata.ExifProfile = null;
        using var ignoringExif = new MemoryStream();
        await SixLabors.ImageSharp.ImageExtensions.SaveAsPngAsync(sideways, ignoringExif);

        // Only JPEG's block artefacts differ; a decoder ignoring the flag would be far off.
        Assert.True(Distance(upright, rotated) < 0.05, $"distance to upright {Distance(upright, rotated)}");
        Assert.True(Distance(upright, await VectorOfAsync(ignoringExif.ToArray())) > 0.2);
    }

    [Fact]
    public async Task TransparentCutOutIndexesAsTheCutOutOnWhite()
    {
        var onWhite = await VectorOfAsync(HostileImageCorpus.TransparentReferencePng());
        var cutOut = await VectorOfAsync(HostileImageCorpus.Get("transparent-cut-out.png").Bytes);

        Assert.True(Distance(onWhite, cutOut) < 0.01, $"distance {Distance(onWhite, cutOut)}");
    }

    private async Task<float[]> VectorOfAsync(byte[] image)
    {
        var extractor = (Features.FeatureExtractor)_app.Services.GetService(typeof(Features.FeatureExtractor))!;
        using var stream = new MemoryStream(image);
        return await extractor.ExtractAsync(stream, CancellationToken.None);
    }

    private async Task AssertSeededImagesStillAnswerAsync()
    {
        var rows = await _app.ImageRowsAsync(Category);
        Assert.All(_seeded, name => Assert.Contains(rows, r => r.GetString(nameof(ProductVector.ImageId)) == name));
        var result = await _app.Function<SimilarByImageId>().RunAsync(HttpRequests.Get("?top=3"), Category, Uri.EscapeDataString(_seeded[0]), CancellationToken.None);
        var response = Assert.IsType<SimilarProductsResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(3, response.Results.Count);
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public long BytesRead { get; private set; }

        public override bool CanSeek => false;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            return read;
        }
    }
}
