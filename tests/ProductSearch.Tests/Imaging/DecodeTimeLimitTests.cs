using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

/// <summary>The decode time limit holds whether or not the decoder looks at its cancellation token.</summary>
public sealed class DecodeTimeLimitTests
{
    [Fact]
    public async Task ADecodeStillRunningAtTheLimitIsRejectedAsDecodeTimeoutWithoutWaitingForIt()
    {
        var time = new FakeTimeProvider();
        var loader = new SafeImageLoader(Options.Create(new ImageLimits { DecodeTimeout = TimeSpan.FromSeconds(10) }), time);
        var large = CraftedImages.LargePng();

        var load = loader.LoadAsync(new MemoryStream(large), CancellationToken.None);
        Assert.False(load.IsCompleted, "a 36-megapixel decode finished before the clock moved");
        time.Advance(TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<ImageRejectedException>(() => load);
        Assert.Equal(ImageRejectionReason.DecodeTimeout, e.Reason);
    }

    [Fact]
    public async Task ADecodeWithinTheLimitReturnsTheImage()
    {
        var loader = new SafeImageLoader(Options.Create(new ImageLimits()), new FakeTimeProvider());
        using var small = new Image<Rgba32>(64, 48, Color.Teal);
        using var bytes = new MemoryStream();
        await small.SaveAsPngAsync(bytes);
        bytes.Position = 0;

        using var image = await loader.LoadAsync(bytes, CancellationToken.None);

        Assert.Equal((64, 48), (image.Width, image.Height));
    }
}
