using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ProductSearch.Testing;

/// <summary>
/// Product-like studio photos: each product is a garment-like silhouette with its own shape, pattern and
/// colour on a light background; its shots vary position, scale, background tint and JPEG quality, as
/// real shots of one product do.
/// </summary>
public static class ProductPhotoGenerator
{
    public const int Width = 320;
    public const int Height = 400;

    private static readonly Rgba32[] Colours =
    [
        new(200, 30, 40), new(30, 90, 200), new(40, 160, 60), new(240, 190, 20),
        new(120, 40, 160), new(20, 20, 20), new(240, 120, 30), new(0, 170, 170),
    ];

    public static int ProductCount => Colours.Length;

    /// <summary>Shot <paramref name="shot"/> of product <paramref name="product"/>, as JPEG bytes.</summary>
    /// <param name="colour">Another colour for the product's silhouette and pattern (a recoloured twin); null for its own.</param>
    public static byte[] Jpeg(int product, int shot, Rgba32? colour = null)
    {
        using var image = Render(product, shot, colour);
        using var stream = new MemoryStream();
        var random = new Random((product * 7919) + shot);
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 70 + random.Next(26) });
        return stream.ToArray();
    }

    public static Rgba32 ColourOf(int product) => Colours[product % Colours.Length];

    public static Image<Rgba32> Render(int product, int shot, Rgba32? colourOverride = null)
    {
        var random = new Random((product * 7919) + shot);
        var scale = 0.85 + (random.NextDouble() * 0.25);
        var dx = (random.NextDouble() - 0.5) * 0.16 * Width;
        var dy = (random.NextDouble() - 0.5) * 0.12 * Height;
        var tint = 225 + random.Next(30);
        var background = new Rgba32((byte)tint, (byte)(tint - random.Next(8)), (byte)(tint - random.Next(12)));
        var colour = colourOverride ?? Colours[product % Colours.Length];
        var shape = product % 4;
        var pattern = (product / 2) % 4;

        var image = new Image<Rgba32>(Width, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                // Garment coordinates: centred, scaled, -1..1 across the silhouette's box.
                var u = (x - (Width / 2.0) - dx) / (Width * 0.38 * scale);
                var v = (y - (Height / 2.0) - dy) / (Height * 0.40 * scale);
                image[x, y] = Inside(shape, u, v) ? Shade(colour, pattern, u, v) : background;
            }
        }

        return image;
    }

    private static bool Inside(int shape, double u, double v) => shape switch
    {
        // T-shirt: body plus sleeves.
        0 => (Math.Abs(u) < 0.55 && v is > -0.8 and < 1) || (Math.Abs(u) < 1 && v is > -0.8 and < -0.3),
        // Trousers: two legs joined at the waist.
        1 => v is > -1 and < 1 && Math.Abs(u) < 0.7 && (v < -0.3 || Math.Abs(u) > 0.12),
        // Dress: a trapezoid widening downwards.
        2 => v is > -1 and < 1 && Math.Abs(u) < 0.3 + (0.5 * (v + 1)),
        // Bag: a rounded box with a handle.
        _ => (Math.Abs(u) < 0.8 && v is > -0.3 and < 0.9) || (Math.Abs(Math.Sqrt((u * u) + ((v + 0.3) * (v + 0.3))) - 0.45) < 0.08 && v < -0.3),
    };

    private static Rgba32 Shade(Rgba32 colour, int pattern, double u, double v)
    {
        var dark = pattern switch
        {
            0 => false,
            1 => ((int)Math.Floor((v + 2) * 6)) % 2 == 0,
            2 => (((int)Math.Floor((u + 2) * 5)) + ((int)Math.Floor((v + 2) * 5))) % 2 == 0,
            _ => Math.Pow(((u + 2) * 8) - Math.Round((u + 2) * 8), 2) + Math.Pow(((v + 2) * 8) - Math.Round((v + 2) * 8), 2) < 0.08,
        };
        return dark ? new Rgba32((byte)(colour.R / 3), (byte)(colour.G / 3), (byte)(colour.B / 3)) : colour;
    }
}
