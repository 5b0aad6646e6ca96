using System.Text.Json;
using Azure;
using Azure.Identity;
using Microsoft.Extensions.Options;
using ProductSearch.Cli.Catalog;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// A command over the catalogue: builds the app's services from the options and turns the usual ways of
/// failing (a bad setting, storage unreachable or refusing, no identity, Ctrl+C) into one red line and an exit code.
/// </summary>
internal abstract class CatalogCommand<TSettings>(IAnsiConsole terminal) : AsyncCommand<TSettings>
    where TSettings : CatalogSettings
{
    public const int Failed = 1;
    public const int Incomplete = 2;
    public const int Cancelled = 130;

    protected IAnsiConsole Terminal { get; } = terminal;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var services = CatalogServices.Build(ConfigurationFor(settings));
            return await RunAsync(services, settings, cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            return Fail(e.Message);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "ContainerNotFound")
        {
            return Fail($"Container '{settings.Container}' does not exist in {settings.Storage}.");
        }
        catch (RequestFailedException e)
        {
            return Fail($"Storage refused the request ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)}");
        }
        catch (AggregateException e) when (e.InnerExceptions.Any(i => i is RequestFailedException))
        {
            // Azure.Core's retry gives up with every attempt's error; the last one says it best.
            var hint = settings.Account is null && settings.ConnectionString is null ? " Is Azurite running (npm run azurite)?" : "";
            return Fail($"{settings.Storage} could not be reached: {FirstLine(e.InnerExceptions[^1].Message)}.{hint}");
        }
        catch (AuthenticationFailedException e)
        {
            return Fail($"No Azure identity for account '{settings.Account}': {FirstLine(e.Message)} Run 'az login', or pass --connection-string.");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or FileNotFoundException)
        {
            return Fail(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Terminal.MarkupLine("[yellow]Cancelled.[/]");
            return Cancelled;
        }
    }

    /// <summary>The app settings to build the services from; reindex points them at the new model's table.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ConfigurationFor(TSettings settings) => settings.ToConfiguration();

    protected abstract Task<int> RunAsync(IServiceProvider services, TSettings settings, CancellationToken cancellationToken);

    protected int Fail(string message)
    {
        Terminal.MarkupLineInterpolated($"[red]error:[/] {message}");
        return Failed;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
