using System.Globalization;
using System.Text.Json;
using ProductSearch.Tooling.Evaluation;
using Spectre.Console;

namespace ProductSearch.Cli.Evaluation;

/// <summary>Quality figures as terminal tables and JSON.</summary>
internal static class QualityTables
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Table Summary(IEnumerable<QualityReport> reports, IReadOnlyList<string> subsets)
    {
        var table = Figures(new Table().Title("Retrieval quality (leave-one-out)").AddColumn("variant"), subsets);
        foreach (var report in reports)
        {
            table.AddRow([report.Label, .. Cells(report.Overall, subsets)]);
        }

        return table;
    }

    public static Table ByCategory(QualityReport report, IReadOnlyList<string> subsets)
    {
        var table = Figures(new Table().Title($"{report.Label} by category").AddColumn("category"), subsets);
        foreach (var (category, figures) in report.ByCategory)
        {
            table.AddRow([category, .. Cells(figures, subsets)]);
        }

        return table;
    }

    /// <summary>The first variant at each colour weight, by weight: what colour buys and what it costs.</summary>
    public static Table ColourTradeOff(string label, IEnumerable<(float Weight, QualityReport Report)> sweep, IReadOnlyList<string> subsets)
    {
        var table = Figures(new Table().Title($"Colour weight trade-off ({label} at each weight w)").AddColumn("w"), subsets);
        foreach (var (weight, report) in sweep.OrderBy(s => s.Weight))
        {
            table.AddRow([weight.ToString("0.###", CultureInfo.InvariantCulture), .. Cells(report.Overall, subsets)]);
        }

        return table;
    }

    /// <summary>The column headers of the figures, one category-precision column per subset the manifest names.</summary>
    public static IEnumerable<string> Headers(IReadOnlyList<string> subsets) =>
        ["product R@1", "product R@4", "product R@10", "product mAP", "style R@4", .. subsets.Select(s => $"category P@4 {s}")];

    /// <summary>The figures in the order of <see cref="Headers"/>.</summary>
    public static IEnumerable<double> Values(QualityFigures f, IReadOnlyList<string> subsets) =>
        [f.ProductRecallAt1, f.ProductRecallAt4, f.ProductRecallAt10, f.ProductMeanAveragePrecision, f.StyleRecallAt4,
            .. subsets.Select(s => f.CategoryPrecisionAt4.GetValueOrDefault(s, double.NaN))];

    public static Table NearDuplicates(string label, IEnumerable<DistanceSpread> spreads)
    {
        var table = new Table().Title($"Near-duplicate distances: {label}").AddColumn("pairs");
        foreach (var column in new[] { "n", "min", "p1", "p5", "median", "p95", "p99", "max" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var s in spreads)
        {
            table.AddRow([s.Pairs, s.Count.ToString(CultureInfo.InvariantCulture), .. new[] { s.Min, s.P1, s.P5, s.Median, s.P95, s.P99, s.Max }.Select(Format)]);
        }

        return table;
    }

    public static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("F3", CultureInfo.InvariantCulture);

    private static Table Figures(Table table, IReadOnlyList<string> subsets)
    {
        foreach (var column in Headers(subsets).Prepend("queries"))
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        return table;
    }

    private static string[] Cells(QualityFigures f, IReadOnlyList<string> subsets) =>
        [f.Queries.ToString(CultureInfo.InvariantCulture), .. Values(f, subsets).Select(Format)];
}
