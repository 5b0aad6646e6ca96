using System.Globalization;
using System.Runtime.InteropServices;
using ProductSearch.Decoding;

namespace ProductSearch.IntegrationTests.Decoding;

/// <summary>
/// Memory native code freed stays resident in the C library's heap until it is trimmed: the trim the app does after
/// building an inference session must give it back, on the real C library.
/// </summary>
public sealed class NativeHeapTests
{
    private const int Blocks = 1024;
    private const int BlockBytes = 64 * 1024;

    [Fact]
    public void TrimGivesBackWhatNativeCodeFreed()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.Trim());
            return;
        }

        // Blocks below malloc's mmap threshold, each followed by a small one still held, so freeing them leaves holes
        // inside the heap that free itself cannot give back (as a session's build leaves them below what it keeps).
        var blocks = new IntPtr[Blocks];
        var kept = new IntPtr[Blocks];
        var ones = Enumerable.Repeat((byte)1, BlockBytes).ToArray();
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes);
            Marshal.Copy(ones, 0, blocks[i], BlockBytes);
            kept[i] = Marshal.AllocHGlobal(16);
        }

        try
        {
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            var freed = Resident();
            var trims = NativeHeap.Trims;
            Assert.True(NativeHeap.Trim());
            var trimmed = Resident();

            Assert.True(NativeHeap.Trims > trims);
            Assert.True(freed - trimmed >= Blocks * (long)BlockBytes / 2, $"resident {freed >> 20} MiB after the frees, {trimmed >> 20} MiB after the trim");
        }
        finally
        {
            foreach (var block in kept)
            {
                Marshal.FreeHGlobal(block);
            }
        }
    }

    private static long Resident()
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
