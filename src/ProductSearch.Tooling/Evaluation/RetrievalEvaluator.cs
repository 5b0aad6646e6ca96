using ProductSearch.Search;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>Quality figures of one run, overall and per category.</summary>
public sealed record QualityReport(string Label, QualityFigures Overall, IReadOnlyDictionary<string, QualityFigures> ByCategory, IReadOnlyList<double> ProductRecallCurve);

/// <summary>
/// Same-product figures count only queries whose product has another photo; same-style figures ("other colours of
/// this style") only queries whose style has another product, with the query's own product left out of the ranking;
/// category precision@4 searches every photo of every category at once, and is given per subset of the manifest
/// (<see cref="ManifestEntry.Subset"/>, e.g. one shop's photos), keyed by the subset's name.
/// </summary>
public sealed record QualityFigures(
    int Queries,
    double ProductRecallAt1,
    double ProductRecallAt4,
    double ProductRecallAt10,
    double ProductMeanAveragePrecision,
    double StyleRecallAt4,
    IReadOnlyDictionary<string, double> CategoryPrecisionAt4);

/// <summary>
/// Leave-one-out evaluation against a manifest's ground truth: the rankings are the app's own
/// (<see cref="EvaluatedCatalog"/>); this keeps only the metrics.
/// </summary>
public static class RetrievalEvaluator
{
    public const int CurveLength = 20;

    /// <summary>Ranks, per query, every other photo of its category at <paramref name="colourWeight"/>, expanded by <paramref name="expansion"/>.</summary>
    public static QualityReport Evaluate(string label, EvaluatedCatalog catalog, float colourWeight, QueryExpander expansion)
    {
        var entries = catalog.Entries;
        var subsets = entries.Select(e => e.Subset).Distinct(StringComparer.Ordinal).ToArray();
        var perCategory = new Dictionary<string, QualityFigures>();
        var all = new Accumulator(subsets);
        foreach (var category in entries.Select((e, i) => (e, i)).GroupBy(x => x.e.Category).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var local = new Accumulator(subsets);
            foreach (var (query, q) in category)
            {
                var ranking = catalog.RankInCategory(q, colourWeight, expansion);
                var sameProduct = ranking.Select(n => entries[n.Entry].ProductId == query.ProductId).ToList();
                // "Other colours of this style": the query's own product is left out, so only other products can hit.
                var sameStyle = query.StyleId is null
                    ? null
                    : ranking.Where(n => entries[n.Entry].ProductId != query.ProductId)
                        .Select(n => entries[n.Entry].StyleId == query.StyleId).ToList();
                var top = catalog.RankAcrossCategories(q, 4, colourWeight, expansion);
                var categoryPrecision = RetrievalMetrics.PrecisionAt(top.Select(n => entries[n.Entry].Category == query.Category).ToList(), 4);
                local.Add(sameProduct, sameStyle, categoryPrecision, query.Subset);
                all.Add(sameProduct, sameStyle, categoryPrecision, query.Subset);
            }

            perCategory[category.Key] = local.Figures();
        }

        return new QualityReport(label, all.Figures(), perCategory, all.Curve());
    }

    private sealed class Accumulator(IReadOnlyList<string> subsets)
    {
        private readonly List<double> _r1 = [], _r4 = [], _r10 = [], _ap = [], _style4 = [];
        private readonly Dictionary<string, List<double>> _categoryPrecision = subsets.ToDictionary(s => s, _ => new List<double>(), StringComparer.Ordinal);
        private readonly double[] _curve = new double[CurveLength];
        private int _queries;

        public void Add(List<bool> sameProduct, List<bool>? sameStyle, double categoryPrecision, string subset)
        {
            _queries++;
            _categoryPrecision[subset].Add(categoryPrecision);
            if (sameStyle is not null && sameStyle.Contains(true))
            {
                _style4.Add(RetrievalMetrics.RecallAt(sameStyle, 4));
            }

            if (!sameProduct.Contains(true))
            {
                return; // A product with one photo has nothing to find.
            }

            _r1.Add(RetrievalMetrics.RecallAt(sameProduct, 1));
            _r4.Add(RetrievalMetrics.RecallAt(sameProduct, 4));
            _r10.Add(RetrievalMetrics.RecallAt(sameProduct, 10));
            _ap.Add(RetrievalMetrics.AveragePrecision(sameProduct));
            for (var k = 1; k <= CurveLength; k++)
            {
                _curve[k - 1] += RetrievalMetrics.RecallAt(sameProduct, k);
            }
        }

        public QualityFigures Figures() => new(
            _queries, Mean(_r1), Mean(_r4), Mean(_r10), Mean(_ap), Mean(_style4), _categoryPrecision.ToDictionary(s => s.Key, s => Mean(s.Value), StringComparer.Ordinal));

        public List<double> Curve() => _curve.Select(c => _r1.Count == 0 ? 0 : c / _r1.Count).ToList();

        private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();
    }
}
