using ProductSearch.Search;
using ProductSearch.Search.Vectors;

namespace ProductSearch.Tooling.Evaluation;

/// <summary>Quality figures of one run, overall and per category.</summary>
public sealed record QualityReport(string Label, QualityFigures Overall, IReadOnlyDictionary<string, QualityFigures> ByCategory, IReadOnlyList<double> ProductRecallCurve);

/// <summary>
/// Same-product figures count only queries whose product has another photo; same-style figures ("other colours of
/// this style") only queries whose style has another product, with the query's own product left out of the ranking;
/// category precision@4 searches every photo of every category at once.
/// </summary>
public sealed record QualityFigures(
    int Queries,
    double ProductRecallAt1,
    double ProductRecallAt4,
    double ProductRecallAt10,
    double ProductMeanAveragePrecision,
    double StyleRecallAt4,
    double CategoryPrecisionAt4Magento,
    double CategoryPrecisionAt4Ikea);

/// <summary>Leave-one-out evaluation of vectors against a manifest's ground truth, with exact search.</summary>
public static class RetrievalEvaluator
{
    public const int CurveLength = 20;

    /// <summary>Ranks, per query, every other photo of its category; <paramref name="vectors"/> is aligned with <paramref name="entries"/>.</summary>
    /// <param name="expansion">Query expansion applied to every query as the app applies it (null: none).</param>
    public static QualityReport Evaluate(string label, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<float[]> vectors, QueryExpander? expansion = null)
    {
        var byCategory = entries.Select((e, i) => (e, i)).GroupBy(x => x.e.Category).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        var crossCategory = CategoryPrecision(entries, vectors, expansion);
        var perCategory = new Dictionary<string, QualityFigures>();
        var all = new Accumulator();
        foreach (var (category, members) in byCategory.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var local = new Accumulator();
            var matrix = MatrixOf(members, vectors);
            for (var q = 0; q < members.Length; q++)
            {
                var query = entries[members[q]];
                var ranking = NearestNeighbourSearch.Search(matrix, Expanded(matrix, vectors[members[q]], q, expansion), members.Length, excludedRow: q);
                var sameProduct = ranking.Select(n => entries[members[n.Row]].ProductId == query.ProductId).ToList();
                // "Other colours of this style": the query's own product is left out, so only other products can hit.
                var sameStyle = query.StyleId is null
                    ? null
                    : ranking.Where(n => entries[members[n.Row]].ProductId != query.ProductId)
                        .Select(n => entries[members[n.Row]].StyleId == query.StyleId).ToList();
                local.Add(sameProduct, sameStyle, crossCategory[members[q]], query.Source);
                all.Add(sameProduct, sameStyle, crossCategory[members[q]], query.Source);
            }

            perCategory[category] = local.Figures();
        }

        return new QualityReport(label, all.Figures(), perCategory, all.Curve());
    }

    /// <summary>Precision@4 of the same category when searching all photos of all categories together.</summary>
    private static double[] CategoryPrecision(IReadOnlyList<ManifestEntry> entries, IReadOnlyList<float[]> vectors, QueryExpander? expansion)
    {
        var matrix = MatrixOf(Enumerable.Range(0, entries.Count).ToArray(), vectors);
        var precision = new double[entries.Count];
        for (var q = 0; q < entries.Count; q++)
        {
            var top = NearestNeighbourSearch.Search(matrix, Expanded(matrix, vectors[q], q, expansion), 4, excludedRow: q);
            precision[q] = RetrievalMetrics.PrecisionAt(top.Select(n => entries[n.Row].Category == entries[q].Category).ToList(), 4);
        }

        return precision;
    }

    private static float[] Expanded(VectorMatrix matrix, float[] query, int row, QueryExpander? expansion)
    {
        if (expansion is not { Neighbours: > 0 })
        {
            return query;
        }

        var expanded = new float[query.Length];
        AlphaQueryExpansion.Begin(query, expanded);
        foreach (var neighbour in NearestNeighbourSearch.Search(matrix, query, expansion.Neighbours, excludedRow: row))
        {
            AlphaQueryExpansion.Add(query, matrix.Row(neighbour.Row), expansion.Alpha, expanded);
        }

        AlphaQueryExpansion.Finish(expanded);
        return expanded;
    }

    private static VectorMatrix MatrixOf(int[] members, IReadOnlyList<float[]> vectors)
    {
        var matrix = new VectorMatrix(vectors[members[0]].Length, members.Length);
        foreach (var member in members)
        {
            matrix.Add(vectors[member]);
        }

        return matrix;
    }

    private sealed class Accumulator
    {
        private readonly List<double> _r1 = [], _r4 = [], _r10 = [], _ap = [], _style4 = [], _magento = [], _ikea = [];
        private readonly double[] _curve = new double[CurveLength];
        private int _queries;

        public void Add(List<bool> sameProduct, List<bool>? sameStyle, double categoryPrecision, string source)
        {
            _queries++;
            (source.StartsWith("ikea", StringComparison.OrdinalIgnoreCase) ? _ikea : _magento).Add(categoryPrecision);
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
            _queries, Mean(_r1), Mean(_r4), Mean(_r10), Mean(_ap), Mean(_style4), Mean(_magento), Mean(_ikea));

        public List<double> Curve() => _curve.Select(c => _r1.Count == 0 ? 0 : c / _r1.Count).ToList();

        private static double Mean(List<double> values) => values.Count == 0 ? double.NaN : values.Average();
    }
}
