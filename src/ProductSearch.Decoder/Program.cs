using ProductSearch.Decoding;

// Untrusted bytes in on standard input, pixels out on standard output: the app starts, feeds and, at a limit, kills this process.
using var input = Console.OpenStandardInput();
using var output = Console.OpenStandardOutput();
return DecoderHost.Run(input, output);
