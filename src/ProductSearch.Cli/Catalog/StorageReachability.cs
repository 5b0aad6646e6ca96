using System.Net.Sockets;

namespace ProductSearch.Cli.Catalog;

/// <summary>
/// Tells within seconds whether anything answers at the storage endpoints, before a command starts: the storage
/// clients retry a refused connection for about half a minute, which looks like a hang to someone who has not
/// started Azurite. Only a TCP connect, so it needs no credential and proves nothing about access.
/// </summary>
internal static class StorageReachability
{
    /// <summary>A distinct exit code for "storage could not be reached" (sysexits' EX_UNAVAILABLE).</summary>
    public const int Unreachable = 69;

    public const string StartAzurite = "Start Azurite in another terminal with `npm run azurite` (from the repository root)";

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Null when every endpoint accepts a connection, else a message naming the first that did not.</summary>
    public static async Task<string?> ProblemAsync(string storage, IEnumerable<Uri> endpoints, CancellationToken cancellationToken)
    {
        foreach (var endpoint in endpoints.DistinctBy(e => (e.Host, e.Port)))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var why = e is SocketException socket ? socket.Message : $"no answer within {ConnectTimeout.TotalSeconds:0} s";
                var hint = IsLocal(endpoint) ? $" {StartAzurite}, or point the command at another account (--connection-string, --account)." : "";
                return $"{storage} could not be reached: nothing answers at {endpoint.Host}:{endpoint.Port} ({why}).{hint}";
            }
        }

        return null;
    }

    private static bool IsLocal(Uri endpoint) => endpoint.IsLoopback || endpoint.Host is "azurite" or "host.docker.internal";
}
