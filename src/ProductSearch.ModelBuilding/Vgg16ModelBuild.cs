namespace ProductSearch.ModelBuilding;

/// <summary>
/// The whole VGG16 build: get the Keras notop weights (download or local file), check their MD5,
/// convert them and write the ONNX model.
/// </summary>
public sealed class Vgg16ModelBuild(KerasWeightsDownloader downloader)
{
    /// <param name="weightsPath">A local Keras .h5 file, or null to download the published one.</param>
    /// <param name="outputOnnxPath">Where to write the model; its folder is created.</param>
    /// <param name="expectedMd5">The weights file's MD5, or null to skip the check (only for a file the caller made).</param>
    public async Task<Vgg16BuildResult> RunAsync(
        string? weightsPath,
        string outputOnnxPath,
        string? expectedMd5,
        IProgress<ModelBuildProgress>? progress,
        CancellationToken cancellationToken,
        SpatialSize spatialSize = SpatialSize.Fixed224)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputOnnxPath);
        if (expectedMd5 is not null && !Md5Checksum.IsWellFormed(expectedMd5))
        {
            throw new ArgumentException($"'{expectedMd5}' is not an MD5 hash (32 hexadecimal digits).", nameof(expectedMd5));
        }

        if (weightsPath is not null && !File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"Weights file '{weightsPath}' does not exist.", weightsPath);
        }

        var downloaded = weightsPath is null
            ? await downloader.DownloadAsync(Vgg16NotopWeights.DownloadUri, progress, cancellationToken)
            : null;
        try
        {
            var source = downloaded ?? weightsPath!;
            if (expectedMd5 is not null)
            {
                progress?.Report(new ModelBuildProgress(ModelBuildStage.VerifyChecksum, 0, null));
                var downloadedFrom = downloaded is null ? null : Vgg16NotopWeights.DownloadUri;
                await Md5Checksum.VerifyAsync(source, expectedMd5, cancellationToken, downloadedFrom);
            }

            progress?.Report(new ModelBuildProgress(ModelBuildStage.ReadWeights, 0, null));
            var layers = await Task.Run(() => KerasWeightsReader.Read(source), cancellationToken);

            progress?.Report(new ModelBuildProgress(ModelBuildStage.BuildGraph, 0, null));
            var model = Vgg16OnnxBuilder.Build(layers, spatialSize);

            progress?.Report(new ModelBuildProgress(ModelBuildStage.WriteModel, 0, null));
            await OnnxModelFile.WriteAsync(model, outputOnnxPath, cancellationToken);
            progress?.Report(new ModelBuildProgress(ModelBuildStage.Done, 1, 1));

            var parameters = layers.Sum(layer => layer.Weights.Sum(weight => (long)weight.Values.Length));
            var origin = downloaded is null ? Path.GetFullPath(weightsPath!) : Vgg16NotopWeights.DownloadUri.ToString();
            return new Vgg16BuildResult(Path.GetFullPath(outputOnnxPath), new FileInfo(outputOnnxPath).Length, parameters, origin, expectedMd5?.ToLowerInvariant());
        }
        finally
        {
            if (downloaded is not null)
            {
                File.Delete(downloaded);
            }
        }
    }
}
