using System.Globalization;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;

namespace ProductSearch.Functions.Telemetry;

/// <summary>
/// The worker's trace sampler, chosen here rather than left to the exporter's default (from 1.10.0 a rate limit of
/// 5 traces/s, above which host spans arrive without the worker's children). Every trace by default: volume is
/// bounded by host.json's log levels and the Log Analytics daily cap. The standard <c>OTEL_TRACES_SAMPLER</c> and
/// <c>OTEL_TRACES_SAMPLER_ARG</c> app settings override it.
/// </summary>
internal static class TraceSampling
{
    public const string SamplerSetting = "OTEL_TRACES_SAMPLER";
    public const string ArgumentSetting = "OTEL_TRACES_SAMPLER_ARG";

    public static void Apply(AzureMonitorExporterOptions options, IConfiguration configuration)
    {
        var sampler = configuration[SamplerSetting]?.Trim().ToLowerInvariant();
        var argument = configuration[ArgumentSetting];
        switch (sampler)
        {
            case null or "" or "always_on" or "parentbased_always_on":
                FixedRatio(options, 1.0f);
                break;
            case "always_off" or "parentbased_always_off":
                FixedRatio(options, 0.0f);
                break;
            case "traceidratio" or "parentbased_traceidratio" or "microsoft.fixed_percentage":
                FixedRatio(options, (float)Number(argument, 1.0, max: 1.0));
                break;
            case "microsoft.rate_limited":
                options.TracesPerSecond = Number(argument, 5.0, max: double.MaxValue);
                break;
            default:
                throw new InvalidOperationException(
                    $"{SamplerSetting}='{sampler}' is not supported: use always_on, always_off, traceidratio, microsoft.fixed_percentage or microsoft.rate_limited.");
        }
    }

    // The exporter applies TracesPerSecond before SamplingRatio, so a fixed ratio must clear it.
    private static void FixedRatio(AzureMonitorExporterOptions options, float ratio)
    {
        options.SamplingRatio = ratio;
        options.TracesPerSecond = null;
    }

    private static double Number(string? text, double fallback, double max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= max
            ? value
            : throw new InvalidOperationException($"{ArgumentSetting}='{text}' must be a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.");
    }
}
