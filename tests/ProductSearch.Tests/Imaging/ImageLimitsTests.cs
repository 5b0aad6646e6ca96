using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProductSearch.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Tests.Imaging;

/// <summary>The allowed formats as the app binds them from configuration, checked by decoding real files.</summary>
public sealed class ImageLimitsTests
{
    [Fact]
    public async Task WithNoListSetJpegPngAndWebpAreDecodedAndGifIsNot()
    {
        var loader = new SafeImageLoader(Options.Create(Bind([])));

        using (await loader.LoadAsync(new MemoryStream(ProductPhotoGenerator.Jpeg(0, 0)), CancellationToken.None))
        {
        }

        using (await loader.LoadAsync(new MemoryStream(await PngAsync()), CancellationToken.None))
        {
        }

        var gif = await Assert.ThrowsAsync<ImageRejectedException>(async () => (await loader.LoadAsync(new MemoryStream(await GifAsync()), CancellationToken.None)).Dispose());
        Assert.Equal(ImageRejectionReason.UnsupportedFormat, gif.Reason);
    }

    [Fact]
    public async Task AListSetInConfigurationReplacesTheDefaultsSoAShopCanNarrowThem()
    {
        var limits = Bind(new() { ["ImageLimits:AllowedFormats:0"] = "png" });
        var loader = new SafeImageLoader(Options.Create(limits));

        Assert.Equal(["png"], limits.DecodedFormats());
        using (await loader.LoadAsync(new MemoryStream(await PngAsync()), CancellationToken.None))
        {
        }

        var jpeg = await Assert.ThrowsAsync<ImageRejectedException>(async () => (await loader.LoadAsync(new MemoryStream(ProductPhotoGenerator.Jpeg(0, 0)), CancellationToken.None)).Dispose());
        Assert.Equal(ImageRejectionReason.UnsupportedFormat, jpeg.Reason);
    }

    [Fact]
    public void AnUnknownFormatNameFailsStartUpWithTheName()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["ImageLimits:AllowedFormats:0"] = "jpeg", ["ImageLimits:AllowedFormats:1"] = "bmp" }));

        Assert.Contains("'bmp'", e.Message);
    }

    // The app's own registration (AddProductSearch), so the binding and validation are the host's.
    private static ImageLimits Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddProductSearch(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ImageLimits>>().Value;
    }

    private static async Task<byte[]> PngAsync()
    {
        using var image = new Image<Rgba32>(16, 16, new Rgba32(200, 30, 30));
        using var stream = new MemoryStream();
        await image.SaveAsPngAsync(stream);
        return stream.ToArray();
    }

    private static async Task<byte[]> GifAsync()
    {
        using var image = new Image<Rgba32>(8, 8);
        using var stream = new MemoryStream();
        await image.SaveAsGifAsync(stream);
        return stream.ToArray();
    }
}
