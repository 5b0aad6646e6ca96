using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProductSearch.Telemetry;

namespace ProductSearch.Functions.Telemetry;

public static class OpenTelemetryRegistration
{
    /// <summary>
    /// Traces and metrics of the worker and of <see cref="ProductSearchTelemetry"/>: to Application Insights when
    /// its connection string is set (keyless, with the app's managed identity), to the console when
    /// <c>Telemetry__Console=true</c> (local runs).
    /// </summary>
    public static IServiceCollection AddProductSearchTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
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
                // Local authentication is off on our Application Insights: ingestion takes the app's identity.
                if (ClientIdOf(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        return services;
    }

    /// <summary>The ClientId of an <c>Authorization=AAD;ClientId=…</c> string.</summary>
    private static string? ClientIdOf(string? authentication) =>
        authentication?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault();
}
