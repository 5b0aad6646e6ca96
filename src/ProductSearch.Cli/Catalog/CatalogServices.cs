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
    /// <summary>
    /// No logging provider: the commands report outcomes themselves, and log lines would tear the progress bar. A bad
    /// setting fails here, before the command starts its work.
    /// </summary>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, bool runsTheModel) =>
        ProductSearchServices.Build(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            configure: services => services
                .AddSingleton<CatalogBackfill>()
                .AddSingleton<CatalogStatistics>()
                .AddSingleton<CatalogImport>(),
            needsModelFile: runsTheModel);
}
