using System.Diagnostics;
using System.Globalization;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// The process's peak resident memory since <see cref="Reset"/>. Linux keeps the high-water mark itself (VmHWM) and
/// resets it on request, so a short spike between two samples cannot be missed, and nothing polls.
/// </summary>
internal static class ResidentPeak
{
    public static void Reset()
    {
        if (OperatingSystem.IsLinux())
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    /// <summary>Bytes; elsewhere than Linux, the peak since the process started (a bound checked against it is stricter, never looser).</summary>
    public static long Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64;
        }

        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
