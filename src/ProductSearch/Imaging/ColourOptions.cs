namespace ProductSearch.Imaging;

/// <summary>
/// How the colour descriptor is computed: a joint histogram of the foreground pixels in <see cref="Space"/>,
/// square-rooted and unit length. Its <see cref="Id"/> is stored with every row, so rows of two versions are never compared.
/// </summary>
public sealed record ColourOptions
{
    /// <summary>Bump when the computation changes without a change of space, bins or layout: old rows then count as having no colour.</summary>
    public int Version { get; init; } = 1;

    public ColourSpace Space { get; init; } = ColourSpace.Rgb;

    /// <summary>Bins per channel (L, a, b or R, G, B).</summary>
    public int[] Bins { get; init; } = [6, 6, 6];

    public ColourLayout Layout { get; init; } = ColourLayout.Whole;

    /// <summary>How far (0..255, per channel) a pixel may differ from a uniform border colour and still be background.</summary>
    public int BackgroundTolerance { get; init; } = 24;

    /// <summary>
    /// Bins holding less than this share of the counted pixels are dropped: the blend of an outline with its backdrop,
    /// JPEG ringing and specks, which are not a colour a shopper sees, and which leave each row with fewer non-zero
    /// bins for a query to read (docs/retrieval-quality.md). The largest bin always stays.
    /// </summary>
    public double MinBinShare { get; init; } = 0.005;

    /// <summary>Values per descriptor.</summary>
    public int Dimension => Bins.Aggregate(1, (a, b) => a * b) * (Layout == ColourLayout.Halves ? 2 : 1);

    /// <summary>
    /// What a stored row records: two rows compare only when their ids are equal. A floor of 0 adds nothing, so rows
    /// indexed before the floor existed keep matching a descriptor that turns it off.
    /// </summary>
    public string Id => FormattableString.Invariant(
        $"{Space.ToString().ToLowerInvariant()}{string.Join("x", Bins)}-{Layout.ToString().ToLowerInvariant()}-t{BackgroundTolerance}{(MinBinShare > 0 ? FormattableString.Invariant($"-min{MinBinShare:0.####}") : string.Empty)}-v{Version}");

    internal IEnumerable<string> Validate()
    {
        if (Bins.Length != 3 || Bins.Any(b => b is < 1 or > 16))
        {
            yield return "colour.bins needs three bin counts from 1 to 16";
        }

        if (BackgroundTolerance is < 1 or > 128)
        {
            yield return "colour.backgroundTolerance must be from 1 to 128";
        }

        if (!(MinBinShare is >= 0 and < 0.5))
        {
            yield return "colour.minBinShare must be from 0 to below 0.5";
        }

        if (Version < 1)
        {
            yield return "colour.version must be positive";
        }
    }
}

public enum ColourSpace
{
    /// <summary>sRGB as stored: measured better than CIELAB for finding the same product (docs/retrieval-quality.md).</summary>
    Rgb,

    /// <summary>CIELAB (D65), a and b binned over -50..50.</summary>
    Lab,
}

public enum ColourLayout
{
    Whole,

    /// <summary>One histogram for the top half of the image and one for the bottom (a shirt over trousers).</summary>
    Halves,
}
