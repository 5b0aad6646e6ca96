using ProductSearch.Decoding;

namespace ProductSearch.Decoder;

/// <summary>Untrusted bytes in on standard input, pixels out on standard output: the app starts, feeds and, at a limit, kills this process.</summary>
internal static class DecoderProgram
{
    private static int Main()
    {
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return DecoderHost.Run(input, output);
    }
}
