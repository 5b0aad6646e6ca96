namespace ProductSearch.Features;

/// <summary>
/// One square region of an R-MAC grid over an H x W map. The grid is Tolias et al.'s (ICLR 2016) as implemented in
/// Radenović's cnnimageretrieval: the whole map, then at level l squares of side floor(2 min(H,W) / (l + 1)),
/// l (+ extra along the long side) per axis, spread evenly with about 40 % overlap.
/// </summary>
internal readonly record struct RmacRegion(int Top, int Left, int Height, int Width, int MapWidth)
{
    private const double Overlap = 0.4;

    public static IEnumerable<RmacRegion> Grid(int height, int width, int levels)
    {
        var side = Math.Min(height, width);
        yield return new RmacRegion(0, 0, height, width, width);

        // How many extra regions the long side gets, chosen so consecutive regions overlap by about 40 %.
        var (extraWide, extraTall) = (0, 0);
        if (height != width)
        {
            var best = 0;
            var bestError = double.MaxValue;
            for (var steps = 2; steps <= 7; steps++)
            {
                var b = (Math.Max(height, width) - side) / (double)(steps - 1);
                var error = Math.Abs((((side * side) - (side * b)) / (side * side)) - Overlap);
                if (error < bestError)
                {
                    (best, bestError) = (steps - 1, error);
                }
            }

            (extraWide, extraTall) = height < width ? (best, 0) : (0, best);
        }

        for (var level = 1; level <= levels; level++)
        {
            var size = 2 * side / (level + 1);
            if (size == 0)
            {
                continue;
            }

            foreach (var top in Starts(height, size, level + extraTall))
            {
                foreach (var left in Starts(width, size, level + extraWide))
                {
                    yield return new RmacRegion(top, left, size, size, width);
                }
            }
        }
    }

    private static IEnumerable<int> Starts(int length, int size, int count)
    {
        var half = (int)Math.Floor((size / 2.0) - 1);
        var step = count == 1 ? 0 : (length - size) / (double)(count - 1);
        for (var i = 0; i < count; i++)
        {
            yield return Math.Clamp((int)Math.Floor(half + (i * step)) - half, 0, length - size);
        }
    }
}
