using Microsoft.Playwright;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium (apt package 'chromium', which .ci/run installs), driven by Playwright's driver that ships
/// inside its NuGet package: nothing is downloaded at test time.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: install it with 'apt-get install -y chromium' (.ci/run does).");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // No sandbox: tests run as root in CI. The rest keeps Chromium off the network and quiet.
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }
}
