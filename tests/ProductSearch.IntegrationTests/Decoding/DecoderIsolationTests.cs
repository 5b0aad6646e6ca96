using Microsoft.Extensions.DependencyInjection;
using ProductSearch.HostileDecoder;
using ProductSearch.Imaging;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Hostile;
using ProductSearch.IntegrationTests.Infrastructure;

namespace ProductSearch.IntegrationTests.Decoding;

/// <summary>
/// Whatever a decoder does to its process (a wild write, a fail-fast, a loop, a stall, a memory grab), the image is
/// refused with its own reason and a failure row, the process that did it is gone, and the next upload is indexed by
/// a fresh one. The decoder here is the real one with a hook that misbehaves on marker files (tests/ProductSearch.HostileDecoder).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DecoderIsolationTests(AzuriteFixture azurite)
{
    private const string Assembly = "ProductSearch.HostileDecoder.dll";

    public static TheoryData<string, ImageRejectionReason> Misbehaviours => new()
    {
        { HostileDecoderMarkers.Segfault, ImageRejectionReason.DecoderCrashed },
        { HostileDecoderMarkers.FailFast, ImageRejectionReason.DecoderCrashed },
        { HostileDecoderMarkers.Spin, ImageRejectionReason.DecodeTimeout },
        { HostileDecoderMarkers.Stall, ImageRejectionReason.DecodeTimeout },
        { HostileDecoderMarkers.Hog, ImageRejectionReason.DecoderOutOfMemory },
    };

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task AMisbehavingDecoderCostsOneRefusalAndTheNextUploadIsIndexed(string marker, ImageRejectionReason reason)
    {
        await using var app = HostileApp();
        var indexer = app.Services.GetRequiredService<ProductImageIndexer>();
        var good = await app.UploadAsync("shirts", "good-before.jpg", ProductPhotoGenerator.Jpeg(0, 0));
        Assert.Equal(IndexOutcome.Indexed, (await indexer.IndexAsync(good, CancellationToken.None)).Outcome);
        var decoder = Assert.Single(DecoderProcesses.Running(Assembly));

        var hostile = await app.UploadAsync("shirts", "hostile.jpg", HostileDecoderMarkers.File(marker));
        var result = await indexer.IndexAsync(hostile, CancellationToken.None);

        Assert.True(result.Outcome == IndexOutcome.Rejected, $"{result.Outcome} {result.Reason}");
        var failure = await app.Failures().GetAsync("shirts", "hostile.jpg", CancellationToken.None);
        Assert.Equal(reason.ToString(), failure?.Reason);
        Assert.Null(await app.VectorRowAsync("shirts", "hostile.jpg"));
        Assert.False(DecoderProcesses.IsAlive(decoder), $"decoder {decoder} outlived its refusal");

        var next = await app.UploadAsync("shirts", "good-after.jpg", ProductPhotoGenerator.Jpeg(1, 0));
        Assert.Equal(IndexOutcome.Indexed, (await indexer.IndexAsync(next, CancellationToken.None)).Outcome);
        Assert.NotEqual(decoder, Assert.Single(DecoderProcesses.Running(Assembly)));
    }

    [Fact]
    public async Task ADecoderKilledAtItsProcessorLimitLeavesNoProcessorTimeBurning()
    {
        await using var app = HostileApp();
        var indexer = app.Services.GetRequiredService<ProductImageIndexer>();
        await indexer.IndexAsync(await app.UploadAsync("shirts", "warm.jpg", ProductPhotoGenerator.Jpeg(0, 0)), CancellationToken.None);
        var spinning = Assert.Single(DecoderProcesses.Running(Assembly));

        var result = await indexer.IndexAsync(await app.UploadAsync("shirts", "spin.jpg", HostileDecoderMarkers.File(HostileDecoderMarkers.Spin)), CancellationToken.None);
        Assert.Equal(nameof(ImageRejectionReason.DecodeTimeout), result.Reason);

        // The work ended with the refusal: the process that spun is gone, so nothing of it can still use a core.
        Assert.False(DecoderProcesses.IsAlive(spinning));
        var cpuBefore = ProcessorTimeOf(Environment.ProcessId);
        var settled = await indexer.IndexAsync(await app.UploadAsync("shirts", "after.jpg", ProductPhotoGenerator.Jpeg(1, 1)), CancellationToken.None);
        Assert.Equal(IndexOutcome.Indexed, settled.Outcome);
        var replacement = Assert.Single(DecoderProcesses.Running(Assembly));
        var replacementBefore = ProcessorTimeOf(replacement);
        await Task.Delay(TimeSpan.FromSeconds(1)); // A window in which to measure processor time, not a wait for a condition.
        Assert.True(ProcessorTimeOf(replacement) - replacementBefore < TimeSpan.FromMilliseconds(100), "the idle decoder used the processor");
        Assert.True(ProcessorTimeOf(Environment.ProcessId) - cpuBefore < TimeSpan.FromSeconds(3), "the app kept a core busy after the refusal");
    }

    [Fact]
    public async Task DisposingTheAppLeavesNoDecoderProcessBehind()
    {
        var app = HostileApp(processes: 2);
        await app.Services.GetRequiredService<ProductImageIndexer>()
            .IndexAsync(await app.UploadAsync("shirts", "one.jpg", ProductPhotoGenerator.Jpeg(0, 0)), CancellationToken.None);
        var started = DecoderProcesses.Running(Assembly);
        Assert.NotEmpty(started);

        await app.DisposeAsync();

        await WaitUntilAsync(() => started.All(p => !DecoderProcesses.IsAlive(p)), "decoder processes to exit after the app stopped");
    }

    private FunctionAppHarness HostileApp(int processes = 1) => new(azurite, new Dictionary<string, string?>
    {
        ["Decoder:Assembly"] = Assembly,
        ["Decoder:Processes"] = processes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Decoder:MemoryLimitMegabytes"] = "256",
        ["Decoder:WallTimeout"] = "00:00:04",
        ["ImageLimits:DecodeTimeout"] = "00:00:02",
    });

    private static TimeSpan ProcessorTimeOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime, fields 14 and 15 of stat (12 and 13 after the state), in clock ticks of 1/100 s.
        return TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
