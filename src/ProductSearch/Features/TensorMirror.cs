using ProductSearch.Imaging;

namespace ProductSearch.Features;

/// <summary>Mirrors a preprocessed input tensor left to right, so the mirror costs no second decode or resize.</summary>
internal static class TensorMirror
{
    public static void FlipHorizontally(ReadOnlySpan<float> source, Span<float> target, TensorLayout layout, int width, int height)
    {
        if (source.Length != 3 * width * height || target.Length != source.Length)
        {
            throw new ArgumentException($"A {width}x{height} RGB tensor has {3 * width * height} values, not {source.Length} and {target.Length}.");
        }

        if (layout == TensorLayout.Nchw)
        {
            // Every row of every channel plane, reversed.
            for (var row = 0; row < 3 * height; row++)
            {
                var from = source.Slice(row * width, width);
                var to = target.Slice(row * width, width);
                for (var x = 0; x < width; x++)
                {
                    to[x] = from[width - 1 - x];
                }
            }

            return;
        }

        for (var y = 0; y < height; y++)
        {
            var from = source.Slice(y * width * 3, width * 3);
            var to = target.Slice(y * width * 3, width * 3);
            for (var x = 0; x < width; x++)
            {
                from.Slice((width - 1 - x) * 3, 3).CopyTo(to.Slice(x * 3, 3));
            }
        }
    }
}
