using System.Text.Json;
using System.Xml;
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

    /// <summary>Storage could not be reached, or would not list what the command needs: one code for both (sysexits' EX_UNAVAILABLE).</summary>
    public const int StorageUnavailable = StorageReachability.Unreachable;

    protected IAnsiConsole Terminal { get; } = terminal;

    /// <summary>The command prints one JSON document (<c>--json</c>), failures included, and nothing else.</summary>
    protected bool Json { get; private set; }

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        Json = settings is IJsonSettings { Json: true };
        try
        {
            if (await StorageReachability.ProblemAsync(settings.Storage, settings.Endpoints(), cancellationToken) is { } unreachable)
            {
                return Fail(unreachable, StorageReachability.Unreachable);
            }

            await using var services = CatalogServices.Build(ConfigurationFor(settings), settings.RunsTheModel);
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
            var hint = settings.Account is null && settings.ConnectionString is null ? $" {StorageReachability.StartAzurite}." : "";
            return Fail($"{settings.Storage} could not be reached: {FirstLine(e.InnerExceptions[^1].Message)}.{hint}", StorageReachability.Unreachable);
        }
        catch (XmlException e)
        {
            // Only storage's answers are parsed as XML here: Azurite answers a listing it cannot write (a name with
            // U+0001) with an empty 500, which the SDK fails to read as an error document.
            return Fail($"{settings.Storage} answered with a body that is not XML ({FirstLine(e.Message)}): on Azurite, a blob name with a control character such as U+0001 does this to any listing that holds it.", StorageUnavailable);
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
            if (!Json)
            {
                Terminal.MarkupLine("[yellow]Cancelled.[/]");
            }

            return Cancelled;
        }
    }

    /// <summary>The app settings to build the services from; reindex points them at the new model's table.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ConfigurationFor(TSettings settings) => settings.ToConfiguration();

    protected abstract Task<int> RunAsync(IServiceProvider services, TSettings settings, CancellationToken cancellationToken);

    protected int Fail(string message, int exitCode = Failed)
    {
        if (Json)
        {
            JsonOutput.WriteError(Terminal, message, exitCode);
        }
        else
        {
            Terminal.MarkupLineInterpolated($"[red]error:[/] {message}");
        }

        return exitCode;
    }

    /// <summary>Human progress and headings, left out of <c>--json</c> output.</summary>
    protected void Say(FormattableString markup)
    {
        if (!Json)
        {
            Terminal.MarkupLineInterpolated(markup);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');
}
