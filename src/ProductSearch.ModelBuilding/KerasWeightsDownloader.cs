namespace ProductSearch.ModelBuilding;

/// <summary>Downloads a weights file to a temporary path; the caller verifies and deletes it.</summary>
public sealed class KerasWeightsDownloader(HttpClient httpClient)
{
    private const int BufferSize = 1 << 16;

    /// <returns>The path of the downloaded temporary file.</returns>
    public async Task<string> DownloadAsync(Uri source, IProgress<ModelBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var target = Path.Combine(Path.GetTempPath(), $"keras-weights-{Guid.NewGuid():N}.h5");
        try
        {
            using var response = await httpClient.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            var total = response.Content.Headers.ContentLength;
            await using var input = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            var buffer = new byte[BufferSize];
            long received = 0;
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                received += read;
                progress?.Report(new ModelBuildProgress(ModelBuildStage.Download, received, total));
            }

            return target;
        }
        catch
        {
            File.Delete(target);
            throw;
        }
    }
}
