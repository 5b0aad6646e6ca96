using ProductSearch.Decoding;

namespace ProductSearch.HostileDecoder;

/// <summary>The real decoder loop, with <see cref="HostileDecoderMarkers"/> looking at each file first.</summary>
internal static class HostileDecoderProgram
{
    private static int Main()
    {
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return DecoderHost.Run(input, output, bytes => HostileDecoderMarkers.Act(bytes.Span));
    }
}
