using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using ProductSearch.Features;

namespace ProductSearch.Search;

/// <summary>
/// Entity tags for the answers that depend only on the request and the catalogue: a hash of the category's
/// <see cref="CategoryIndex.Version"/>, the request's parameters and the settings that shape answers (model, search
/// options), so a tag changes exactly when its answer can, and every instance gives the same one. Weak tags: two
/// instances on different CPUs may round a distance differently, which changes bytes but not the answer.
/// </summary>
public sealed class AnswerETags
{
    // Bump when the shape of an answer changes, so caches drop answers of the previous release.
    private const int AnswerFormat = 2;

    private readonly string _settings;

    public AnswerETags(ModelDescriptor model, IOptions<SearchOptions> options)
    {
        var o = options.Value;
        _settings = string.Join(
            '|',
            AnswerFormat,
            model.Id,
            model.Colour?.Id,
            o.DefaultTop,
            o.DefaultColourWeight.ToString("R", CultureInfo.InvariantCulture),
            o.NearDuplicateDistance.ToString("R", CultureInfo.InvariantCulture),
            o.QueryExpansionNeighbours,
            o.QueryExpansionAlpha.ToString("R", CultureInfo.InvariantCulture),
            o.CompactVectors,
            o.Int8Scan);
    }

    /// <summary>The tag of "more like <paramref name="imageId"/>" under <paramref name="query"/>; <paramref name="links"/> is whatever else the answer's URLs depend on.</summary>
    public string ForSimilar(ulong categoryVersion, string imageId, SimilarityQuery query, string links = "") =>
        Tag(categoryVersion, "similar", imageId, query.Top, query.GroupByProduct, Invariant(query.ColourWeight), Invariant(query.MaxDistance), query.Filter?.ToString(), links);

    /// <summary>The tag of one page of a category's products.</summary>
    public string ForListing(ulong categoryVersion, int skip, int take, string links = "") =>
        Tag(categoryVersion, "products", skip, take, links);

    /// <summary>The tag of the category list, from the list itself (it comes from blob folders, not from an index).</summary>
    public string ForCategories(IReadOnlyList<string> categories) => Tag(0, "categories", string.Join('/', categories));

    private string Tag(ulong version, params object?[] request)
    {
        var text = string.Join('|', _settings, version, string.Join('|', request));
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        return $"W/\"{hash:x16}\"";
    }

    private static string Invariant(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
