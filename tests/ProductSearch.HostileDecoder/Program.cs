using ProductSearch.Decoding;
using ProductSearch.HostileDecoder;

using var input = Console.OpenStandardInput();
using var output = Console.OpenStandardOutput();
return DecoderHost.Run(input, output, bytes => HostileDecoderMarkers.Act(bytes.Span));
