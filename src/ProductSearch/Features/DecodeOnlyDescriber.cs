using ProductSearch.Decoding;
using ProductSearch.Imaging;

namespace ProductSearch.Features;

/// <summary>
/// What a row indexed earlier may lack, from one decode and no model: the colour descriptor (decoded, trimmed and
/// resized exactly as extraction does, so it matches a freshly indexed row) and a thumbnail. A backfill or a
/// reconciliation that only fills never creates the ONNX sessions, and never starts the decoder processes until it
/// decodes.
/// </summary>
public sealed class DecodeOnlyDescriber(ModelDescriptor model, Lazy<IPhotoDecoder> decoder)
{
    /// <param name="colour">Whether the colour descriptor is wanted (ignored when the model declares none).</param>
    /// <param name="thumbnail">The thumbnail wanted, or null for none.</param>
    internal async Task<ImageFeatures> DescribeAsync(Stream image, bool colour, ThumbnailEncoding? thumbnail, CancellationToken cancellationToken)
    {
        var colourOptions = colour ? model.Colour : null;
        if (thumbnail is null)
        {
            if (colourOptions is null)
            {
                return new ImageFeatures([], null);
            }

            using var fitted = await decoder.Value.DecodeFittedAsync(image, cancellationToken);
            return new ImageFeatures([], ColourHistogram.Describe(fitted, colourOptions));
        }

        using var decoded = await decoder.Value.DecodeFittedWithThumbnailAsync(image, thumbnail, cancellationToken);
        return new ImageFeatures([], colourOptions is null ? null : ColourHistogram.Describe(decoded.Pixels, colourOptions), decoded.Thumbnail);
    }
}
