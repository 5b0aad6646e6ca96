using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ProductSearch.Benchmarks.Decoding;

/// <summary>
/// The overload benchmark's yardstick: Kestrel in a process of its own answering a fixed body of a by-id answer's size,
/// with none of the app's code or its work. The shopper asks it at the same pace as it asks the app, so what its p95
/// gains during the uploads is what the VM's shared cores and loopback cost any answer, and the app's share of the
/// by-id figure is what lies beyond it. Hidden command <see cref="Command"/>: answers its address, then serves until
/// its input closes.
/// </summary>
internal static class OverloadControlServer
{
    public const string Command = "overload-control";
    public const string Route = "/control";

    public static async Task<int> RunAsync()
    {
        await using var app = LoopbackWebApplication.CreateBuilder().Build();
        var body = new byte[1_200];
        Array.Fill(body, (byte)'x');
        app.MapGet(Route, (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        BenchmarkProcess.Answer((await LoopbackWebApplication.StartAsync(app)).ToString());
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        await app.StopAsync();
        return 0;
    }
}
