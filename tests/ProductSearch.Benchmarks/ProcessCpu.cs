using System.Globalization;

namespace ProductSearch.Benchmarks;

/// <summary>
/// Processor time (user + system) of processes by id from Linux /proc, so a benchmark can say where its cores went:
/// its own process, the decoder processes it started, or a server beside it (Azurite).
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>Processor time so far of each live child of this process whose command line holds <paramref name="marker"/>.</summary>
    public static Dictionary<int, TimeSpan> OfChildren(string marker)
    {
        var self = Environment.ProcessId;
        var found = new Dictionary<int, TimeSpan>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var (parent, time) = Read(pid);
                if (parent == self && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found[pid] = time;
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return found;
    }

    /// <summary>Processor time so far of one process and its descendants (a server started through a script spawns).</summary>
    public static TimeSpan OfTree(int root)
    {
        var parents = new Dictionary<int, (int Parent, TimeSpan Time)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid))
            {
                try
                {
                    parents[pid] = Read(pid);
                }
                catch (IOException)
                {
                    // Gone while we looked.
                }
            }
        }

        var total = TimeSpan.Zero;
        foreach (var (pid, (_, time)) in parents)
        {
            for (var p = pid; parents.TryGetValue(p, out var entry); p = entry.Parent)
            {
                if (p == root)
                {
                    total += time;
                    break;
                }

                if (entry.Parent == p)
                {
                    break;
                }
            }
        }

        return total;
    }

    /// <summary>What each process used between two readings of <see cref="OfChildren"/>; a process started between them counts whole.</summary>
    public static TimeSpan Between(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after) =>
        after.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Value - before.GetValueOrDefault(p.Key));

    private static (int Parent, TimeSpan Time) Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which may itself hold spaces and parentheses: state, ppid, ... utime (14th), stime (15th).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (parent, TimeSpan.FromSeconds(ticks / TicksPerSecond));
    }

    // USER_HZ is 100 on every Linux the benchmarks run on; getconf says so where it is installed.
    private static double ClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = getconf!.StandardOutput.ReadToEnd();
            getconf.WaitForExit();
            return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException)
        {
            return 100;
        }
    }
}
