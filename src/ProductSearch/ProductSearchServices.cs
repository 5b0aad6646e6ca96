using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProductSearch.Features;

namespace ProductSearch;

/// <summary>
/// The app's service graph where no Functions host builds it: the CLI, Tooling, the test harness and the benchmarks.
/// The registrations are the function app's (<see cref="ProductSearchServiceCollectionExtensions.AddProductSearch"/>),
/// every one checked when the graph is built, and the options validated at once, as the host does at start, so a bad
/// setting fails here with its name instead of in the middle of the work.
/// </summary>
public static class ProductSearchServices
{
    /// <param name="configuration">The settings, in the shape of the function app's.</param>
    /// <param name="logging">Where logs go; none by default (a command reports its own outcome).</param>
    /// <param name="time">The clock every service reads; the system's by default.</param>
    /// <param name="configure">The caller's own registrations, added last, so they win as in any host.</param>
    /// <param name="needsModelFile">
    /// False for callers that never run the model (a catalogue's statistics, attributes, an import): its ONNX file is then
    /// not required at start. Reconciliation starts the model only if it has an image to index.
    /// </param>
    public static ServiceProvider Build(
        IConfiguration configuration,
        Action<ILoggingBuilder>? logging = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null,
        bool needsModelFile = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new ServiceCollection()
            .AddSingleton(configuration) // As every host registers it.
            .AddLogging(logging ?? (_ => { }))
            .AddProductSearch(configuration);
        if (!needsModelFile)
        {
            services.Remove(services.Single(s => s.ImplementationType == typeof(ModelOptionsValidation)));
        }

        if (time is not null)
        {
            services.AddSingleton(time);
        }

        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
            return provider;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            // Several settings failed: one exception naming them all, as a caller handles a single one.
            provider.Dispose();
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().ToList();
            throw new OptionsValidationException(
                failures[0].OptionsName, failures[0].OptionsType, failures.SelectMany(f => f.Failures).Distinct());
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
