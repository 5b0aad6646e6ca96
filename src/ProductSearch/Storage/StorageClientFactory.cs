using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace ProductSearch.Storage;

/// <summary>
/// Builds the storage clients from a named connection the way the Functions host does: a plain
/// connection string (Azurite) or an identity-based section, so the code never reads an account key in Azure.
/// </summary>
public static class StorageClientFactory
{
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, string connection, BlobClientOptions? options = null)
    {
        var connectionString = configuration[connection];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new BlobServiceClient(connectionString, options);
        }

        var section = configuration.GetSection(connection);
        var uri = section["blobServiceUri"] ?? section["serviceUri"] ?? AccountUri(section, "blob");
        return new BlobServiceClient(new Uri(uri), CreateCredential(section), options);
    }

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, string connection, TableClientOptions? options = null)
    {
        var connectionString = configuration[connection];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, options);
        }

        var section = configuration.GetSection(connection);
        var uri = section["tableServiceUri"] ?? AccountUri(section, "table");
        return new TableServiceClient(new Uri(uri), CreateCredential(section), options);
    }

    private static string AccountUri(IConfigurationSection section, string service) =>
        section["accountName"] is { Length: > 0 } account
            ? $"https://{account}.{service}.core.windows.net"
            : throw new InvalidOperationException(
                $"Storage connection '{section.Key}' is not set: give a connection string in '{section.Key}', or " +
                $"'{section.Key}__{service}ServiceUri' (with '{section.Key}__credential=managedidentity' and '{section.Key}__clientId') for an identity.");

    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
