using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ProductSearch.Features;
using ProductSearch.Storage;
using Spectre.Console.Cli;
using ValidationResult = Spectre.Console.ValidationResult;

namespace ProductSearch.Cli.Commands;

/// <summary>
/// Where the catalogue lives and which model reads it: the options every catalogue command shares, with the
/// app's defaults, so a command with no options works against Azurite exactly as <c>npm start</c> runs the app.
/// </summary>
internal class CatalogSettings : CommandSettings
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private static readonly StorageOptions StorageDefaults = new();
    private static readonly ModelOptions ModelDefaults = new();

    [CommandOption("--connection-string <CONNECTION>")]
    [Description("Storage connection string. Default: the ProductStorage environment variable when set, else UseDevelopmentStorage=true (Azurite on its default ports), unless --account is given.")]
    public string? ConnectionString { get; init; }

    [CommandOption("--account <NAME>")]
    [Description("Storage account name, reached as https://<name>.blob.core.windows.net and https://<name>.table.core.windows.net with your Azure identity (DefaultAzureCredential: az login, environment, managed identity). No keys.")]
    public string? Account { get; init; }

    [CommandOption("--container <NAME>")]
    [Description("Images container (<category>/<image name>). Default: product-images, as Storage__ImagesContainer.")]
    public string Container { get; init; } = StorageDefaults.ImagesContainer;

    [CommandOption("--table <NAME>")]
    [Description("Vectors table. Default: productvectors, as Storage__VectorTable.")]
    public string Table { get; init; } = StorageDefaults.VectorTable;

    [CommandOption("-m|--model <DESCRIPTOR>")]
    [Description("Model descriptor (models/resnet18.json), found from the working folder, the repository root or the CLI's folder. Default: models/vgg16.json, as Model__Descriptor.")]
    public string? Model { get; init; }

    /// <summary>The descriptor's full path (see <see cref="DescriptorPath"/>).</summary>
    public string ModelPath => DescriptorPath.Resolve(Model ?? ModelDefaults.Descriptor);

    /// <summary>The command extracts features, so the model's ONNX file must exist at start; stats, import and attributes never run it, and reconcile starts it only to index an image the trigger missed.</summary>
    public virtual bool RunsTheModel => true;

    public override ValidationResult Validate()
    {
        if (ConnectionString is not null && Account is not null)
        {
            return ValidationResult.Error("Give --connection-string or --account, not both.");
        }

        if (Account is not null && !IsAccountName(Account))
        {
            return ValidationResult.Error($"--account '{Account}' is not a storage account name (3 to 24 lower-case letters and digits).");
        }

        if (ConnectionString is not null && ConnectionStringError(ConnectionString) is { } error)
        {
            return ValidationResult.Error($"--connection-string is not a storage connection string: {error}");
        }

        if (StorageNameError() is { } nameError)
        {
            return ValidationResult.Error(nameError);
        }

        return DescriptorPath.Error(Model ?? ModelDefaults.Descriptor, RunsTheModel) is { } modelError
            ? ValidationResult.Error(modelError)
            : ValidationResult.Success();
    }

    /// <summary>The app settings these options stand for, in the configuration shape <c>AddProductSearch</c> reads.</summary>
    public virtual Dictionary<string, string?> ToConfiguration()
    {
        var connection = StorageDefaults.Connection;
        var values = new Dictionary<string, string?>
        {
            ["Storage:ImagesContainer"] = Container,
            ["Storage:VectorTable"] = Table,
            ["Model:Descriptor"] = ModelPath,
        };
        if (Account is not null)
        {
            // An identity-based connection section, as in Azure; StorageClientFactory builds the service URIs.
            values[$"{connection}:accountName"] = Account;
        }
        else
        {
            values[connection] = ConnectionString ?? DefaultConnectionString;
        }

        return values;
    }

    /// <summary>
    /// The connection string when neither option is given: the <c>ProductStorage</c> environment variable (the app
    /// setting's own name), else Azurite on its default ports.
    /// </summary>
    public static string DefaultConnectionString =>
        Environment.GetEnvironmentVariable(StorageDefaults.Connection) is { Length: > 0 } fromEnvironment ? fromEnvironment : DevelopmentStorage;

    /// <summary>The storage account, in words: never the connection string, which may hold a key.</summary>
    public string Storage =>
        Account is not null ? $"account {Account}"
        : ConnectionString is not null ? "the --connection-string storage"
        : DefaultConnectionString == DevelopmentStorage ? "Azurite (UseDevelopmentStorage=true)"
        : $"the {StorageDefaults.Connection} storage";

    /// <summary>The blob and table endpoints the command will call, for a quick reachability check.</summary>
    public IEnumerable<Uri> Endpoints() => Account is not null
        ? [new Uri($"https://{Account}.blob.core.windows.net"), new Uri($"https://{Account}.table.core.windows.net")]
        : [new BlobServiceClient(ConnectionString ?? DefaultConnectionString).Uri, new TableServiceClient(ConnectionString ?? DefaultConnectionString).Uri];

    /// <summary>Where the command works, for its first line of output.</summary>
    public string Describe() => $"{Storage} (container {Container}, table {Table})";

    private static bool IsAccountName(string name) =>
        name.Length is >= 3 and <= 24 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    private static string? ConnectionStringError(string connectionString)
    {
        try
        {
            _ = new BlobServiceClient(connectionString);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>The app's own rules for container and table names (StorageOptions), reported by option name.</summary>
    private string? StorageNameError()
    {
        var options = new StorageOptions { ImagesContainer = Container, VectorTable = Table };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return null;
        }

        var member = results[0].MemberNames.FirstOrDefault();
        return member == nameof(StorageOptions.VectorTable)
            ? $"--table '{Table}' is not a valid table name (3 to 63 letters and digits, starting with a letter)."
            : $"--container '{Container}' is not a valid container name (3 to 63 lower-case letters, digits and single hyphens).";
    }
}
