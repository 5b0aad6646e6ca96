using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProductSearch.Telemetry;

namespace ProductSearch.Functions.Telemetry;

public static class OpenTelemetryRegistration
{
    /// <summary>
    /// Traces and metrics of the worker and of <see cref="ProductSearchTelemetry"/>: to Application Insights when
    /// its connection string is set (keyless, with the app's managed identity; sampler: <see cref="TraceSampling"/>),
    /// to the console when <c>Telemetry__Console=true</c> (local runs). <c>Telemetry__ConsoleLogs=true</c> prints
    /// the app's own log lines (indexed, refused and why, repaired, deleted) on the worker's console.
    /// </summary>
    public static IServiceCollection AddProductSearchTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Telemetry:ConsoleLogs"))
        {
            services.AddLogging(logging => logging.AddAppConsole());
        }

        var console = configuration.GetValue<bool>("Telemetry:Console");
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.AddSource(ProductSearchTelemetry.Name);
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProductSearchTelemetry.Name);
                if (console)
                {
                    metrics.AddConsoleExporter();
                }
            });

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                TraceSampling.Apply(options, configuration);
                // Local authentication is off on our Application Insights: ingestion takes the app's identity.
                if (ClientIdOf(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        return services;
    }

    /// <summary>
    /// One line per app log entry on stdout, which `func start` echoes. Needed because with the OpenTelemetry worker
    /// defaults (Microsoft.Azure.Functions.Worker.OpenTelemetry 1.2.0) the host no longer prints the worker's logs
    /// (Azure/azure-functions-dotnet-worker#3489). Only the app's categories, so the console is not the SDKs' chatter.
    /// </summary>
    private static void AddAppConsole(this ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        });
        logging.AddFilter<ConsoleLoggerProvider>((category, level) =>
            level >= LogLevel.Information && category is not null && category.StartsWith(nameof(ProductSearch) + ".", StringComparison.Ordinal));
    }

    /// <summary>The ClientId of an <c>Authorization=AAD;ClientId=…</c> string.</summary>
    private static string? ClientIdOf(string? authentication) =>
        authentication?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
}
