using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Imaging;
using ProductSearch.Indexing;
using ProductSearch.IntegrationTests.Infrastructure;
using SixLabors.ImageSharp;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>
/// A decode that outlives the time limit ends the invocation normally with a failure row, as every other refusal
/// does: before, it threw, the host retried it, and no row was ever written.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DecodeTimeoutTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ADecodeOverTheTimeLimitLeavesAFailureRowAndNoVector()
    {
        // The shortest limit allowed, against a 36-megapixel image no decoder turns into pixels that fast.
        await using var app = new FunctionAppHarness(azurite, new Dictionary<string, string?> { ["ImageLimits:DecodeTimeout"] = "00:00:00.100" });
        var blob = await app.UploadAsync("slow", "large.png", CraftedImages.LargePng());

        // The trigger's code path, with its result, so a failure says what happened instead.
        var result = await app.Services.GetRequiredService<ProductImageIndexer>().IndexAsync(blob, CancellationToken.None);

        Assert.True(result.Outcome == IndexOutcome.Rejected, $"{result.Outcome} {result.Reason}");
        var failure = await app.Failures().GetAsync("slow", "large.png", CancellationToken.None);
        Assert.Equal(nameof(ImageRejectionReason.DecodeTimeout), failure?.Reason);
        Assert.Equal((await blob.ETagOfAsync()).ToString(), failure?.BlobETag);
        Assert.Null(await app.VectorRowAsync("slow", "large.png"));
    }
}
