using System.Numerics.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Extraction;

/// <summary>
/// A lone request runs on the all-cores session and concurrent requests on the single-threaded one: both must give
/// the same vector, or an image's neighbours would depend on how busy the app was when it was indexed.
/// </summary>
[Collection(ModelLoadCollection.Name)]
public sealed class ConcurrentExtractionTests : IDisposable
{
    private readonly FeatureExtractor _extractor = FeatureExtractor.CreateStandalone(
        ModelDescriptor.Load(Path.Combine(AppContext.BaseDirectory, "models", "resnet18.json")));

    [Fact]
    public async Task ConcurrentRequestsGetTheVectorsOfLoneRequests()
    {
        var photos = Enumerable.Range(0, 8).Select(i => ProductPhotoGenerator.Jpeg(i % ProductPhotoGenerator.ProductCount, i)).ToArray();
        var alone = new List<float[]>();
        foreach (var photo in photos)
        {
            alone.Add(await ExtractAsync(photo));
        }

        var trims = NativeHeap.Trims;
        var together = await Task.WhenAll(photos.Select(p => Task.Run(() => ExtractAsync(p))));
        // Building the single-threaded session for them gave back the native memory the build freed.
        Assert.True(NativeHeap.Trims > trims);

        for (var i = 0; i < photos.Length; i++)
        {
            Assert.Equal(1f, TensorPrimitives.Norm(together[i]), 1e-4f);
            Assert.True(TensorPrimitives.Distance(alone[i], together[i]) < 1e-4f, $"photo {i}: {TensorPrimitives.Distance(alone[i], together[i])}");
        }

        // Different photos, different vectors: the comparison above is not between constants.
        Assert.True(TensorPrimitives.Distance(alone[0], alone[1]) > 0.01f);
    }

    public void Dispose() => _extractor.Dispose();

    private async Task<float[]> ExtractAsync(byte[] photo)
    {
        using var stream = new MemoryStream(photo, writable: false);
        return await _extractor.ExtractAsync(stream, CancellationToken.None);
    }
}
