using System.Text;

namespace ProductSearch.HostileDecoder;

/// <summary>What a decoder bug can do to its process, each set off by a file that starts with its marker.</summary>
public static class HostileDecoderMarkers
{
    /// <summary>Writes through a wild pointer: SIGSEGV, as heap corruption in a decoder ends.</summary>
    public const string Segfault = "HOSTILE-SEGV";

    /// <summary>Ends the process the way the runtime does on corrupted state.</summary>
    public const string FailFast = "HOSTILE-FAILFAST";

    /// <summary>Burns processor time forever: a decoder loop that never ends.</summary>
    public const string Spin = "HOSTILE-SPIN";

    /// <summary>Waits forever without using the processor: a decoder that makes no progress.</summary>
    public const string Stall = "HOSTILE-STALL";

    /// <summary>Allocates until memory runs out: a length a decoder believed.</summary>
    public const string Hog = "HOSTILE-HOG";

    public static byte[] File(string marker) => Encoding.ASCII.GetBytes(marker + " and some bytes after it");

    public static unsafe void Act(ReadOnlySpan<byte> bytes)
    {
        if (Starts(bytes, Segfault))
        {
            *(long*)0x7ff0_0000_0000 = 1;
        }
        else if (Starts(bytes, FailFast))
        {
            Environment.FailFast("A hostile file crashed the test decoder.");
        }
        else if (Starts(bytes, Spin))
        {
            while (true)
            {
                Thread.SpinWait(1000);
            }
        }
        else if (Starts(bytes, Stall))
        {
            Thread.Sleep(Timeout.Infinite);
        }
        else if (Starts(bytes, Hog))
        {
            var held = new List<byte[]>();
            while (true)
            {
                var block = new byte[16 * 1024 * 1024];
                Array.Fill(block, (byte)1); // Touched, so the pages are really taken.
                held.Add(block);
            }
        }
    }

    private static bool Starts(ReadOnlySpan<byte> bytes, string marker) => bytes.StartsWith(Encoding.ASCII.GetBytes(marker));
}
