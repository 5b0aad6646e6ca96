using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>One ranked photo: its position in the manifest and its distance at the colour weight applied.</summary>
public readonly record struct RankedEntry(int Entry, float Distance);

/// <summary>
/// The evaluated photos as the app holds them: each category in the app's own <see cref="CategoryIndex"/>, plus one
/// index of every photo (for category precision), and each query ranked by the app's own query path
/// (<see cref="CategoryIndex.Answer"/>): leave-one-out as the excluded image, colour as the query's weight,
/// expansion through the app's <see cref="QueryExpander"/>. Nothing here ranks by itself, so every figure is the app's.
/// </summary>
public sealed class EvaluatedCatalog : IDisposable
{
    private readonly IReadOnlyList<ManifestEntry> _entries;
    private readonly Dictionary<string, CategoryIndex> _categories = new(StringComparer.Ordinal);
    private readonly CategoryIndex _all;
    private readonly Dictionary<(string Category, string ImageId), int> _entryByImage = [];
    private readonly Dictionary<string, int> _entryByBlobName = new(StringComparer.Ordinal);

    /// <param name="vectors">The stored rows, aligned with <paramref name="entries"/>, all of one model.</param>
    /// <param name="colour">The model's colour columns, as the app's cache loads them; null for a model without colour.</param>
    public EvaluatedCatalog(string label, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<ProductVector> vectors, ColourColumns? colour)
    {
        Label = label;
        _entries = entries;
        HasColour = colour is not null;
        ShapeVectors = vectors.Select(v => v.Vector).ToArray();
        var modelId = vectors[0].ModelId;
        // The row format a default configuration serves (float32), as the cache makes it from the same options.
        var format = new SearchOptions().ToRowFormat();
        _all = new CategoryIndex("*", modelId, format, colour);
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, vector) = (entries[i], vectors[i]);
            if (!_categories.TryGetValue(entry.Category, out var index))
            {
                _categories[entry.Category] = index = new CategoryIndex(entry.Category, modelId, format, colour);
            }

            index.Apply(entry.ImageId, vector);
            _entryByImage[(entry.Category, entry.ImageId)] = i;
            // Across categories, two photos may share a file name: the blob name tells them apart.
            var blobName = CatalogEvaluation.BlobName(entry);
            _all.Apply(blobName, vector with { ImageId = blobName });
            _entryByBlobName[blobName] = i;
        }
    }

    /// <summary>The variant's name: its descriptor's id.</summary>
    public string Label { get; }

    /// <summary>Whether the rows hold colour, so the colour weight changes the ranking.</summary>
    public bool HasColour { get; }

    /// <summary>The stored CNN vectors, aligned with the manifest: what a whitening is fitted on.</summary>
    public IReadOnlyList<float[]> ShapeVectors { get; }

    public IReadOnlyList<ManifestEntry> Entries => _entries;

    /// <summary>The <paramref name="top"/> (default: all) other photos of the query's category, nearest first, as the app ranks a by-id query.</summary>
    public IReadOnlyList<RankedEntry> RankInCategory(int query, float colourWeight, QueryExpander expander, int? top = null)
    {
        var entry = _entries[query];
        var index = _categories[entry.Category];
        return Rank(index, entry.ImageId, top ?? index.Count, colourWeight, expander, id => _entryByImage[(entry.Category, id)]);
    }

    /// <summary>The <paramref name="top"/> nearest other photos of every category at once.</summary>
    public IReadOnlyList<RankedEntry> RankAcrossCategories(int query, int top, float colourWeight, QueryExpander expander) =>
        Rank(_all, CatalogEvaluation.BlobName(_entries[query]), top, colourWeight, expander, id => _entryByBlobName[id]);

    public void Dispose()
    {
        _all.Dispose();
        foreach (var index in _categories.Values)
        {
            index.Dispose();
        }
    }

    private static List<RankedEntry> Rank(CategoryIndex index, string imageId, int top, float colourWeight, QueryExpander expander, Func<string, int> entryOf)
    {
        // A by-id query, as the app answers it: the stored row is the query, and its own image is left out (every image
        // counts, so other shots of its product can be found).
        var request = new SimilarityQuery(top) { GroupByProduct = false, ColourWeight = colourWeight };
        var answer = index.Answer(QuerySubject.Indexed(imageId), request, expander)
            ?? throw new InvalidOperationException($"{imageId} is not in {index.Category}.");
        return [.. answer.Results.Select(r => new RankedEntry(entryOf(r.Image.ImageId), r.Distance))];
    }
}
