using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using ProductSearch.Functions.Telemetry;
using ProductSearch.Telemetry;

namespace ProductSearch.IntegrationTests.Telemetry;

/// <summary>
/// The worker's pipeline as Azure configures it (an Application Insights connection string), sampling a burst of
/// app spans: every trace by default, whatever the exporter's own default is; OTEL_TRACES_SAMPLER overrides it.
/// The exporter's endpoints are a closed loopback port: nothing leaves the machine.
/// </summary>
public sealed class TraceSamplingTests
{
    private const string ConnectionString =
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/";

    private const int Burst = 300;

    [Fact]
    public void ByDefault_EveryTraceIsSampled()
    {
        Assert.Equal(Burst, RecordedOfABurst([]));
    }

    [Fact]
    public void OtelTracesSampler_RateLimited_SamplesFewerOfABurst()
    {
        var recorded = RecordedOfABurst([("OTEL_TRACES_SAMPLER", "microsoft.rate_limited"), ("OTEL_TRACES_SAMPLER_ARG", "1")]);

        Assert.InRange(recorded, 0, Burst / 2);
    }

    [Fact]
    public void OtelTracesSampler_AlwaysOff_SamplesNothing()
    {
        Assert.Equal(0, RecordedOfABurst([("OTEL_TRACES_SAMPLER", "always_off")]));
    }

    [Fact]
    public void AnUnknownSampler_FailsTheStartNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RecordedOfABurst([("OTEL_TRACES_SAMPLER", "jaeger_remote")]));

        Assert.Contains("OTEL_TRACES_SAMPLER='jaeger_remote'", error.Message, StringComparison.Ordinal);
    }

    private static int RecordedOfABurst((string Name, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString };
        foreach (var (name, value) in settings)
        {
            values[name] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProductSearchTelemetry(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<TracerProvider>();

        var recorded = 0;
        for (var i = 0; i < Burst; i++)
        {
            using var span = ProductSearchTelemetry.Source.StartActivity("IndexProductImage", ActivityKind.Internal, default(ActivityContext));
            recorded += span is { Recorded: true } ? 1 : 0;
        }

        return recorded;
    }
}
