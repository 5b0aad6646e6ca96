using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Testing;

/// <summary>
/// The function app as the host builds it: the same <c>AddProductSearch</c> registrations as Program.cs,
/// over Azurite, with a fresh container and table per harness. Function classes are created from that
/// container the way the worker activates them.
/// </summary>
public sealed class FunctionAppHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="createContainer">False leaves the account as a fresh one is: no container, and no table of its own.</param>
    /// <param name="time">The app's clock (a FakeTimeProvider lets a test pass the staleness bound without waiting); the system clock if null.</param>
    public FunctionAppHarness(
        AzuriteFixture azurite, IDictionary<string, string?>? settings = null, bool createContainer = true, TimeProvider? time = null)
        : this(azurite.ConnectionString, settings, createContainer, time)
    {
    }

    /// <summary>Over an Azurite another process started (a benchmark's app in a process of its own), by its connection string.</summary>
    public FunctionAppHarness(
        string storageConnectionString, IDictionary<string, string?>? settings = null, bool createContainer = true, TimeProvider? time = null)
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        ContainerName = "images-" + unique;
        TableName = "vectors" + unique;
        FailuresTableName = "failures" + unique;
        ThumbnailsContainerName = "thumbnails-" + unique;
        var values = new Dictionary<string, string?>
        {
            ["ProductStorage"] = storageConnectionString,
            ["Storage:ImagesContainer"] = ContainerName,
            ["Storage:VectorTable"] = TableName,
            ["Storage:FailuresTable"] = FailuresTableName,
            ["Thumbnails:Container"] = ThumbnailsContainerName,
            ["Model:Descriptor"] = "models/resnet18.json",
            ["Search:StalenessSeconds"] = Staleness.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        Configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        // Counted table client, so tests can assert how many requests freshness costs; both clients record the
        // permissions their requests need, for the storage-operation catalogue test.
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(TableRequests, HttpPipelinePosition.PerCall);
        tableOptions.AddPolicy(StorageRequests.Tables, HttpPipelinePosition.PerCall);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(StorageRequests.Blobs, HttpPipelinePosition.PerCall);
        _services = ProductSearchServices.Build(
            Configuration,
            logging: b => b.SetMinimumLevel(LogLevel.Warning),
            time: time,
            configure: services => services
                .AddSingleton(new TableServiceClient(storageConnectionString, tableOptions))
                .AddSingleton(StorageClientFactory.CreateBlobServiceClient(Configuration, "ProductStorage", blobOptions)));
        Container = _services.GetRequiredService<BlobContainerClient>();
        if (createContainer)
        {
            Container.CreateIfNotExists();
        }
    }

    /// <summary>Search:StalenessSeconds in the harness: how far a test moves a fake clock for the cache to poll again.</summary>
    public static TimeSpan Staleness { get; } = TimeSpan.FromSeconds(1);

    public IConfiguration Configuration { get; }

    public string ContainerName { get; }

    public string TableName { get; }

    public string FailuresTableName { get; }

    /// <summary>The harness's own thumbnails container (created by the app on its first thumbnail).</summary>
    public string ThumbnailsContainerName { get; }

    /// <summary>Settings for another instance on this one's catalogue (its containers and tables), with <paramref name="more"/> on top.</summary>
    public Dictionary<string, string?> SameCatalogue(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ImagesContainer"] = ContainerName,
            ["Storage:VectorTable"] = TableName,
            ["Storage:FailuresTable"] = FailuresTableName,
            ["Thumbnails:Container"] = ThumbnailsContainerName,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public ThumbnailStore Thumbnails => _services.GetRequiredService<ThumbnailStore>();

    public BlobContainerClient Container { get; }

    public StorageRequestCounter TableRequests { get; } = new();

    public StorageRequestRecorder StorageRequests { get; } = new();

    /// <summary>
    /// Re-checks <paramref name="condition"/> after every table write the app has had answered (indexing ends in one), until it
    /// holds or <paramref name="timeout"/> passes: waiting for the event that can change the answer, not for a time.
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            var written = TableRequests.NextAnsweredWriteAsync();
            if (await condition())
            {
                return;
            }

            try
            {
                await written.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what()}.");
            }
        }
    }

    public IServiceProvider Services => _services;

    public ProductVectorTable Table => _services.GetRequiredService<ProductVectorTable>();

    public CategoryVectorCache Cache => _services.GetRequiredService<CategoryVectorCache>();

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public async ValueTask DisposeAsync()
    {
        await Container.DeleteIfExistsAsync();
        await Thumbnails.Container.DeleteIfExistsAsync();
        var tables = _services.GetRequiredService<TableServiceClient>();
        await tables.DeleteTableAsync(TableName);
        await tables.DeleteTableAsync(FailuresTableName);
        await _services.DisposeAsync();
    }
}
