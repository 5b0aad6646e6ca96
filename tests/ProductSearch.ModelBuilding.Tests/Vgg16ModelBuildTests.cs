using ProductSearch.Testing.ModelBuilding;

namespace ProductSearch.ModelBuilding.Tests;

[Collection(ConvertedVgg16Group.Name)]
public sealed class Vgg16ModelBuildTests(ConvertedVgg16Fixture fixture) : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task CorruptedDownloadIsRejectedWithBothHashes()
    {
        var corrupted = File.ReadAllBytes(fixture.WeightsPath);
        corrupted[corrupted.Length / 2] ^= 0xFF;
        var server = new StaticFileServer(Vgg16NotopWeights.DownloadUri, corrupted);
        var output = _directory.File("vgg16-notop.onnx");

        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            Build(server).RunAsync(null, output, fixture.WeightsMd5, null, CancellationToken.None));

        Assert.Equal(1, server.RequestCount);
        Assert.Contains($"expected {fixture.WeightsMd5}", error.Message, StringComparison.Ordinal);
#pragma warning disable CA5351 // Computing the expected MD5 independently of the code under test.
        var actualMd5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(corrupted));
#pragma warning restore CA5351
        Assert.Contains($"actual {actualMd5}", error.Message, StringComparison.Ordinal);
        Assert.Contains(Vgg16NotopWeights.DownloadUri.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(error.FilePath), "The corrupted download should be deleted.");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task CorruptedLocalFileIsRejectedNamingTheFileAndBothHashes()
    {
        var corrupted = _directory.File("corrupted.h5");
        File.Copy(fixture.WeightsPath, corrupted);
        await using (var stream = File.OpenWrite(corrupted))
        {
            stream.SetLength(stream.Length - 1);
        }

        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            Build(new UnreachableNetwork()).RunAsync(corrupted, _directory.File("out.onnx"), fixture.WeightsMd5, null, CancellationToken.None));

        Assert.Equal(
            $"MD5 mismatch for '{corrupted}': expected {fixture.WeightsMd5}, actual {await Md5Checksum.ComputeAsync(corrupted, CancellationToken.None)}. "
            + "The file is corrupted, truncated or not the expected weights file.",
            error.Message);
    }

    [Fact]
    public async Task PublishedHashIsCheckedByDefaultForLocalFiles()
    {
        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            Build(new UnreachableNetwork()).RunAsync(fixture.WeightsPath, _directory.File("out.onnx"), Vgg16NotopWeights.Md5, null, CancellationToken.None));

        Assert.Equal(Vgg16NotopWeights.Md5, error.ExpectedMd5);
        Assert.Equal(fixture.WeightsMd5, error.ActualMd5);
    }

    [Fact]
    public async Task VerifiedDownloadIsConvertedAndItsTemporaryFileDeleted()
    {
        var server = new StaticFileServer(Vgg16NotopWeights.DownloadUri, File.ReadAllBytes(fixture.WeightsPath));
        var output = _directory.File("models/vgg16-notop.onnx");
        var stages = new List<ModelBuildStage>();
        var temporaryFilesBefore = Directory.GetFiles(Path.GetTempPath(), "keras-weights-*.h5").Length;

        var result = await Build(server).RunAsync(null, output, fixture.WeightsMd5, new SynchronousProgress(p => stages.Add(p.Stage)), CancellationToken.None);

        Assert.Equal(File.ReadAllBytes(fixture.Fixed224OnnxPath), File.ReadAllBytes(output));
        Assert.Equal(Vgg16NotopWeights.DownloadUri.ToString(), result.WeightsSource);
        Assert.Equal(
            [ModelBuildStage.Download, ModelBuildStage.VerifyChecksum, ModelBuildStage.ReadWeights, ModelBuildStage.BuildGraph, ModelBuildStage.WriteModel, ModelBuildStage.Done],
            stages.Distinct());
        Assert.Equal(temporaryFilesBefore, Directory.GetFiles(Path.GetTempPath(), "keras-weights-*.h5").Length);
    }

    [Fact]
    public async Task MalformedExpectedHashIsRejectedBeforeDownloading()
    {
        var server = new StaticFileServer(Vgg16NotopWeights.DownloadUri, []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Build(server).RunAsync(null, _directory.File("out.onnx"), "not-a-hash", null, CancellationToken.None));

        Assert.Contains("'not-a-hash' is not an MD5 hash", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Keras2FileWithExtraLayersWithoutWeightsStillConverts()
    {
        // Same weighted layers in the same order, plus layers Keras would list without weights.
        var layers = SyntheticVgg16WeightsFile.KerasLayerOrder
            .SelectMany(name => name.EndsWith("_pool", StringComparison.Ordinal) ? [name, $"{name}_dropout"] : new[] { name })
            .Prepend("preprocessing")
            .ToList();
        var weights = _directory.File("keras2-extra-layers.h5");
        SyntheticVgg16WeightsFile.Write(weights, seed: 3, KerasWeightNaming.Keras2Nested, layers);

        var result = await Build(new UnreachableNetwork()).RunAsync(weights, _directory.File("out.onnx"), null, null, CancellationToken.None);

        var model = OnnxModelFile.Read(result.OnnxPath);
        Assert.Equal(13, model.Graph.Node.Count(node => node.OpType == "Conv"));
        Assert.Null(result.WeightsMd5);
    }

    [Fact]
    public async Task MissingConvolutionLayerIsReportedByName()
    {
        var layers = SyntheticVgg16WeightsFile.KerasLayerOrder.Where(name => name != "block4_conv2").ToList();
        var weights = _directory.File("missing-layer.h5");
        SyntheticVgg16WeightsFile.Write(weights, seed: 4, KerasWeightNaming.Keras1Flat, layers);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Build(new UnreachableNetwork()).RunAsync(weights, _directory.File("out.onnx"), null, null, CancellationToken.None));

        Assert.StartsWith("The weights file has no layer 'block4_conv2'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static Vgg16ModelBuild Build(HttpMessageHandler network) =>
        new(new KerasWeightsDownloader(new HttpClient(network)));

    private sealed class SynchronousProgress(Action<ModelBuildProgress> report) : IProgress<ModelBuildProgress>
    {
        public void Report(ModelBuildProgress value) => report(value);
    }
}
