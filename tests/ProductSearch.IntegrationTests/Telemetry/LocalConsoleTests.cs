using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProductSearch.Functions;
using ProductSearch.Functions.Telemetry;
using ProductSearch.Indexing;
using ProductSearch.Maintenance;

namespace ProductSearch.IntegrationTests.Telemetry;

/// <summary>
/// What a newcomer sees under `func start` with the settings `npm start` copies: the app's outcome lines on the
/// worker's console (which the host echoes), and none of the SDKs' chatter. The sample holds emulator values only.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LocalConsoleTests
{
    private static readonly string SamplePath = Path.Combine(RepositoryPaths.Root, "local.settings.sample.json");

    [Fact]
    public void TheSampleSettings_PrintTheAppsOutcomeLinesAndNotTheSdksChatter()
    {
        var printed = ConsoleOutputOf(SampleSettings(), loggers =>
        {
            loggers.CreateLogger<ProductImageIndexer>().LogInformation("Indexed {Category}/{ImageId}", "men-tees", "ms01-blue_main.jpg");
            loggers.CreateLogger<ProductImageIndexer>().LogWarning("Rejected {Category}/{ImageId} ({Reason})", "men-tees", "broken.jpg", "Truncated");
            loggers.CreateLogger<CatalogReconciler>().LogInformation("Repaired {Category}/{ImageId}", "men-tees", "missed.jpg");
            loggers.CreateLogger<DeleteProductImage>().LogInformation("Deleted {Category}/{ImageId} on request", "men-tees", "gone.jpg");
            loggers.CreateLogger("Azure.Core").LogInformation("Request [1] GET http://127.0.0.1:10000/devstoreaccount1");
            loggers.CreateLogger("Microsoft.Hosting.Lifetime").LogInformation("Application started.");
        });

        Assert.Contains("Indexed men-tees/ms01-blue_main.jpg", printed, StringComparison.Ordinal);
        Assert.Contains("Rejected men-tees/broken.jpg (Truncated)", printed, StringComparison.Ordinal);
        Assert.Contains("Repaired men-tees/missed.jpg", printed, StringComparison.Ordinal);
        Assert.Contains("Deleted men-tees/gone.jpg on request", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("devstoreaccount1", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Application started", printed, StringComparison.Ordinal);
        // One line per entry, so the lines read between the host's Executing/Executed lines.
        Assert.Equal(4, printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void WithoutConsoleLogs_NothingOfTheAppsIsPrinted()
    {
        var settings = SampleSettings();
        settings["Telemetry:ConsoleLogs"] = "false";

        var printed = ConsoleOutputOf(settings, loggers =>
            loggers.CreateLogger<ProductImageIndexer>().LogInformation("Indexed {Category}/{ImageId}", "men-tees", "a.jpg"));

        Assert.Equal("", printed);
    }

    [Fact]
    public void TheSampleSettings_HoldOnlyEmulatorValues()
    {
        var values = SampleSettings();

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["ProductStorage"]);
        Assert.All(values, pair =>
        {
            Assert.DoesNotContain("AccountKey", pair.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("InstrumentationKey", pair.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("core.windows.net", pair.Value, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void TheSampleSettings_ReconcileEveryMinute()
    {
        // A blob the polling trigger missed is repaired by the first run after the one-minute grace period: within
        // about two minutes of the upload, not the quarter hour Azure uses.
        Assert.Equal("0 * * * * *", SampleSettings()["Reconcile:Schedule"]);
    }

    // The Values as the Functions host hands them to the worker: environment variables, '__' read as ':'.
    private static Dictionary<string, string?> SampleSettings() => JsonNode.Parse(File.ReadAllText(SamplePath))!["Values"]!.AsObject()
        .ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value, StringComparer.OrdinalIgnoreCase);

    private static string ConsoleOutputOf(Dictionary<string, string?> settings, Action<ILoggerFactory> log)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured); // Before the console logger is created: it keeps the writer it finds.
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddProductSearchTelemetry(configuration);
            using (var provider = services.BuildServiceProvider())
            {
                log(provider.GetRequiredService<ILoggerFactory>());
            } // Disposing the console logger drains its queue.

            return captured.ToString();
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}

/// <summary>Tests that swap Console.Out run alone, so no other test's output lands in their capture.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
