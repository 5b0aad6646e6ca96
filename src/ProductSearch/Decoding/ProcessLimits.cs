using System.Runtime.InteropServices;

namespace ProductSearch.Decoding;

/// <summary>
/// The operating system's own bounds on a decoder process, set by the process on itself (Linux): its data segment
/// (every heap, managed or not), its processor time (SIGXCPU ends it), and no core files. Elsewhere the parent's
/// sampling and kill are the bounds (docs/security.md).
/// </summary>
internal static partial class ProcessLimits
{
    private const int RlimitCpu = 0;
    private const int RlimitData = 2;
    private const int RlimitCore = 4;

    /// <summary>The exit code of a process ended by SIGXCPU (128 + 24), as .NET reports it.</summary>
    public const int ProcessorTimeExitCode = 152;

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>Caps the process's data segment and turns core files off; returns false where it cannot.</summary>
    public static bool LimitMemory(long bytes) =>
        Supported && Set(RlimitCore, 0, 0) && Set(RlimitData, (ulong)bytes, (ulong)bytes);

    /// <summary>
    /// Lets the process use <paramref name="budget"/> more processor time from now, rounded up to the whole second the
    /// limit counts in (the parent's sampling is the finer bound); the hard limit stays open so the next decode can
    /// raise it again.
    /// </summary>
    public static bool LimitProcessorTimeFromNow(TimeSpan used, TimeSpan budget) =>
        Supported && Set(RlimitCpu, (ulong)Math.Ceiling((used + budget).TotalSeconds) + 1, ulong.MaxValue);

    /// <summary>
    /// Lowers a process's scheduling priority to <paramref name="nice"/> (Linux and macOS): a busy decoder then yields
    /// the cores to the app's own requests (by-id queries, inference) instead of sharing them equally.
    /// </summary>
    public static bool LowerPriority(int processId, int nice) =>
        !OperatingSystem.IsWindows() && nice > 0 && SetPriority(PriorityProcess, processId, nice) == 0;

    private const int PriorityProcess = 0;

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    private static bool Set(int resource, ulong soft, ulong hard)
    {
        var limit = new RLimit { Current = soft, Maximum = hard };
        return SetRLimit(resource, ref limit) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);
}
