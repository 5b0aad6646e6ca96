using System.Globalization;
using ProductSearch.Search;
using ProductSearch.Tooling.Whitening;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>Whitening fitted on each variant's own stored vectors (transductive: the photos, never their labels).</summary>
public sealed record WhiteningPlan(int? Dimensions, double Power);

/// <summary>
/// What an evaluation compares: each variant (a descriptor file, see <see cref="EvaluationVariants"/>), optionally also
/// whitened, at each colour weight, and again with each query expansion.
/// </summary>
public sealed record EvaluationPlan(EvaluationTarget Target, IReadOnlyList<ManifestEntry> Entries, IReadOnlyList<string> Variants)
{
    /// <summary>Colour weights of the sweep; the app's default weight is always evaluated, and first.</summary>
    public IReadOnlyList<float> ColourWeights { get; init; } = [];

    /// <summary>Neighbour counts k of <see cref="QueryExpander"/>, each evaluated on every row; none by default.</summary>
    public IReadOnlyList<int> ExpansionNeighbours { get; init; } = [];

    public float ExpansionAlpha { get; init; } = 3;

    public WhiteningPlan? Whitening { get; init; }

    /// <summary>Photos of the first variant probed for near-duplicate distances; 0 skips the probe.</summary>
    public int NearDuplicateSample { get; init; }
}

/// <summary>A sample query of the headline row and its top results, as the app ranked them.</summary>
public sealed record SampleQuery(ManifestEntry Query, IReadOnlyList<SampleHit> Hits);

public sealed record SampleHit(ManifestEntry Entry, float Distance);

/// <summary>
/// What an evaluation measured: every row (the first, the headline, is the first variant at the default colour weight),
/// the first variant's colour sweep, the headline's sample queries, the subsets the manifest names, and the
/// near-duplicate spreads when asked for.
/// </summary>
public sealed record EvaluationResults(
    IReadOnlyList<QualityReport> Reports,
    IReadOnlyList<(float Weight, QualityReport Report)> ColourSweep,
    IReadOnlyList<SampleQuery> Samples,
    IReadOnlyList<string> Subsets,
    IReadOnlyList<DistanceSpread>? NearDuplicates);

/// <summary>How an evaluation shows its progress: the caller renders it.</summary>
public interface IEvaluationProgress
{
    /// <summary>Runs <paramref name="index"/>, which reports the photos of <paramref name="variant"/> indexed so far.</summary>
    Task<T> IndexingAsync<T>(string variant, int photos, Func<IProgress<int>, Task<T>> index);

    void Evaluated(string label, TimeSpan elapsed);
}

/// <summary>
/// Runs an <see cref="EvaluationPlan"/>: each variant indexed through the app's indexer into a container of the run's
/// own (deleted at the end), then every row ranked by the app's own query path (<see cref="EvaluatedCatalog"/>).
/// </summary>
public static class EvaluationSweep
{
    /// <summary>Sample queries in the report: results shown per query.</summary>
    public const int SampleTop = 4;

    public static async Task<EvaluationResults> RunAsync(EvaluationPlan plan, IEvaluationProgress progress, TimeProvider time, CancellationToken cancellationToken)
    {
        var defaultWeight = (float)new SearchOptions().DefaultColourWeight;
        float[] weights = [defaultWeight, .. plan.ColourWeights.Where(w => w != defaultWeight)];
        var reports = new List<QualityReport>();
        var expanded = plan.ExpansionNeighbours.Select(_ => new List<QualityReport>()).ToArray();
        var sweep = new List<(float, QualityReport)>();
        IReadOnlyList<SampleQuery> samples = [];
        IReadOnlyList<float[]>? headlineVectors = null;
        try
        {
            foreach (var variant in plan.Variants)
            {
                var shapeVectors = await EvaluateAsync(variant);
                headlineVectors ??= shapeVectors;
                if (plan.Whitening is { } whitening)
                {
                    var fitted = WhiteningFit.Fit(shapeVectors, whitening.Dimensions, whitening.Power);
                    var whiteningPath = Path.ChangeExtension(variant, ".whitening");
                    fitted.Save(whiteningPath);
                    var suffix = FormattableString.Invariant($"+w{whitening.Dimensions?.ToString(CultureInfo.InvariantCulture) ?? ""}p{whitening.Power:0.##}");
                    await EvaluateAsync(EvaluationVariants.Whitened(variant, whiteningPath, suffix));
                }
            }
        }
        finally
        {
            await CatalogEvaluation.DeleteRunContainerAsync(plan.Target, CancellationToken.None);
        }

        var nearDuplicates = plan.NearDuplicateSample > 0
            ? await NearDuplicateProbe.RunAsync(plan.Variants[0], plan.Target.DatasetRoot, plan.Entries, headlineVectors!, plan.NearDuplicateSample, cancellationToken)
            : null;
        var subsets = plan.Entries.Select(e => e.Subset).Distinct(StringComparer.Ordinal).ToArray();
        return new EvaluationResults([.. reports, .. expanded.SelectMany(r => r)], sweep, samples, subsets, nearDuplicates);

        // One variant: indexed once, then every row measured on the same stored vectors while its indexes are held.
        async Task<IReadOnlyList<float[]>> EvaluateAsync(string variant)
        {
            var started = time.GetTimestamp();
            using var catalog = await progress.IndexingAsync(
                Path.GetFileNameWithoutExtension(variant), plan.Entries.Count,
                indexed => CatalogEvaluation.RunAsync(plan.Target, plan.Entries, variant, indexed, cancellationToken));
            var first = reports.Count == 0;
            var none = new QueryExpander(0, plan.ExpansionAlpha);
            foreach (var weight in catalog.HasColour ? weights : [0f])
            {
                cancellationToken.ThrowIfCancellationRequested();
                var label = catalog.HasColour ? FormattableString.Invariant($"{catalog.Label} colour {weight:0.###}") : catalog.Label;
                var report = RetrievalEvaluator.Evaluate(label, catalog, weight, none);
                reports.Add(report);
                if (first && catalog.HasColour)
                {
                    sweep.Add((weight, report));
                }

                // Expansion changes only the query, never the stored vectors: the same indexes, searched as the app would.
                for (var k = 0; k < expanded.Length; k++)
                {
                    var expander = new QueryExpander(plan.ExpansionNeighbours[k], plan.ExpansionAlpha);
                    var expandedLabel = FormattableString.Invariant($"{label}+qe{expander.Neighbours}a{expander.Alpha:0.##}");
                    expanded[k].Add(RetrievalEvaluator.Evaluate(expandedLabel, catalog, weight, expander));
                }
            }

            if (first)
            {
                samples = Samples(catalog, catalog.HasColour ? weights[0] : 0f, none);
            }

            progress.Evaluated(catalog.Label, time.GetElapsedTime(started));
            return catalog.ShapeVectors;
        }
    }

    /// <summary>
    /// In each category, the first photo with another shot of its product; then the first photo of up to four
    /// categories with no such photo, so a subset without product ground truth is shown too.
    /// </summary>
    private static List<SampleQuery> Samples(EvaluatedCatalog catalog, float colourWeight, QueryExpander expander)
    {
        var entries = catalog.Entries;
        var categories = entries.Select((e, i) => (e, i)).GroupBy(x => x.e.Category).ToList();
        var withTwin = categories
            .Select(g => g.FirstOrDefault(x => g.Count(o => o.e.ProductId == x.e.ProductId) > 1))
            .Where(x => x.e is not null).Select(x => x.i);
        var withoutTwin = categories
            .Where(g => g.All(x => g.Count(o => o.e.ProductId == x.e.ProductId) == 1))
            .Take(4).Select(g => g.First().i);
        return [.. withTwin.Concat(withoutTwin).Select(q => new SampleQuery(
            entries[q],
            [.. catalog.RankInCategory(q, colourWeight, expander, SampleTop).Select(r => new SampleHit(entries[r.Entry], r.Distance))]))];
    }
}
