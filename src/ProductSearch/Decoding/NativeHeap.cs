using System.Runtime.InteropServices;

namespace ProductSearch.Decoding;

/// <summary>
/// The C library's heap (glibc on Linux), where native code such as ONNX Runtime allocates: what it frees stays in
/// malloc's arenas, resident, until they are trimmed, so a one-off native peak would otherwise become the process's
/// memory for good.
/// </summary>
internal static partial class NativeHeap
{
    private static long _trims;

    /// <summary>Trims done so far in this process, so a test can see that a path trims.</summary>
    public static long Trims => Interlocked.Read(ref _trims);

    /// <summary>Gives the free pages of every arena back to the operating system; false where there is no glibc.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0); // Whether any page went back does not matter here.
        }
        catch (EntryPointNotFoundException)
        {
            return false; // A C library without it (musl).
        }

        Interlocked.Increment(ref _trims);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
