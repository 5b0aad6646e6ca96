using System.Diagnostics;
using System.Reflection;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// Takes storage away the way an outage does: acknowledged writes stay written. Azurite keeps its data in
/// memory and saves it every 5 s, so the fixture's kill would also lose the last seconds of writes, an
/// emulator artefact that would hide what the test is about. SIGTERM makes Azurite close its servers and
/// save first; the fixture's own stop then only tidies up.
/// </summary>
internal static class AzuriteOutage
{
    public static async Task StopGracefullyAsync(AzuriteFixture azurite)
    {
        // TODO(lead): move a graceful stop into AzuriteFixture; reflection keeps this change out of a shared file.
        var process = (Process?)typeof(AzuriteFixture).GetField("_process", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(azurite);
        if (process is { HasExited: false })
        {
            using var signal = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await signal.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Still closing connections: the kill below ends it; data older than 5 s is saved anyway.
            }
        }

        await azurite.StopAsync();
    }
}
