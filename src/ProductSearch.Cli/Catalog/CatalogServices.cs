using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Indexing;
using ProductSearch.Storage;
using ProductSearch.Tooling.Backfill;
using ProductSearch.Tooling.Import;
using ProductSearch.Tooling.Statistics;

namespace ProductSearch.Cli.Catalog;

/// <summary>The function app's object graph (the same <c>AddProductSearch</c>), built from the command's options.</summary>
internal static class CatalogServices
{
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            // No logging provider: the commands report outcomes themselves, and log lines would tear the progress bar.
            .AddLogging()
            .AddProductSearch(configuration);
        services.AddSingleton<CatalogBackfill>();
        services.AddSingleton<CatalogStatistics>();
        services.AddSingleton<CatalogImport>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
