using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProductSearch.Features;

/// <summary>
/// The <see cref="FeatureExtractor"/> (its ONNX sessions, the slowest thing a cold worker builds), created on a pool
/// thread: from host start-up when the host runs hosted services, else on first ask. A query that needs only stored
/// vectors never waits for it, and a photo query loads its category while it is still being created. The sessions
/// are not run at start-up: a first run was measured to cost what any later run does (docs/performance.md, "Cold
/// start"), so a warm-up run would only take cores from the category load that the first answer waits for.
/// </summary>
public sealed class FeatureExtractorStartup : IHostedService
{
    private readonly Lazy<Task<FeatureExtractor>> _extractor;

    public FeatureExtractorStartup(IServiceProvider services, ILogger<FeatureExtractorStartup> logger)
    {
        _extractor = new(() =>
        {
            var creation = Task.Run(services.GetRequiredService<FeatureExtractor>);
            // A model that fails to load fails every photo query with its own error; say so once, at the time it happens.
            creation.ContinueWith(
                t => logger.LogError(t.Exception, "Creating the feature extractor failed"),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
            return creation;
        });
    }

    /// <summary>Whether the creation has begun (at start-up, or by a photo query): a by-id query never begins it.</summary>
    public bool HasBegun => _extractor.IsValueCreated;

    /// <summary>Starts the creation if nothing has yet, and waits for it.</summary>
    public Task<FeatureExtractor> GetAsync(CancellationToken cancellationToken) => _extractor.Value.WaitAsync(cancellationToken);

    /// <summary>Begins the creation if nothing has yet, without waiting.</summary>
    public void Begin() => _ = _extractor.Value;

    /// <summary>Begins the creation at host start-up: the host goes on starting (and loading categories) meanwhile.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Begin();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
