using System.Globalization;

namespace ProductSearch.Decoding;

/// <summary>
/// The memory this instance may use: the smallest of the cgroup's limit (what a container is killed at), the App
/// Service / Functions setting <c>WEBSITE_MEMORY_LIMIT_MB</c>, and what the runtime sees as available.
/// </summary>
internal static class InstanceMemory
{
    public static long DetectBytes()
    {
        var limits = new List<long> { GC.GetGCMemoryInfo().TotalAvailableMemoryBytes };
        if (Environment.GetEnvironmentVariable("WEBSITE_MEMORY_LIMIT_MB") is { } setting
            && long.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) && megabytes > 0)
        {
            limits.Add(megabytes * 1024 * 1024);
        }

        foreach (var file in (string[])["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
        {
            if (ReadLimit(file) is { } bytes)
            {
                limits.Add(bytes);
            }
        }

        return limits.Where(l => l > 0).Min();
    }

    // "max" (v2) or a huge number (v1) means no limit.
    private static long? ReadLimit(string file)
    {
        try
        {
            var text = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is > 0 and < long.MaxValue / 2 ? bytes : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
