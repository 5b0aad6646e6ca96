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

    public static Table Summary(IEnumerable<QualityReport> reports)
    {
        var table = Figures(new Table().Title("Retrieval quality (leave-one-out)").AddColumn("variant"));
        foreach (var report in reports)
        {
            table.AddRow([report.Label, .. Cells(report.Overall)]);
        }

        return table;
    }

    public static Table ByCategory(QualityReport report)
    {
        var table = Figures(new Table().Title($"{report.Label} by category").AddColumn("category"));
        foreach (var (category, figures) in report.ByCategory)
        {
            table.AddRow([category, .. Cells(figures)]);
        }

        return table;
    }

    /// <summary>The first variant at each colour weight, by weight: what colour buys and what it costs.</summary>
    public static Table ColourTradeOff(string label, IEnumerable<(float Weight, QualityReport Report)> sweep)
    {
        var table = Figures(new Table().Title($"Colour weight trade-off ({label} at each weight w)").AddColumn("w"));
        foreach (var (weight, report) in sweep.OrderBy(s => s.Weight))
        {
            table.AddRow([weight.ToString("0.###", CultureInfo.InvariantCulture), .. Cells(report.Overall)]);
        }

        return table;
    }

    private static Table Figures(Table table)
    {
        foreach (var column in new[] { "queries", "product R@1", "product R@4", "product R@10", "product mAP", "style R@4", "category P@4 Magento", "category P@4 IKEA" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        return table;
    }

    private static string[] Cells(QualityFigures f) =>
    [
        f.Queries.ToString(CultureInfo.InvariantCulture), Format(f.ProductRecallAt1), Format(f.ProductRecallAt4), Format(f.ProductRecallAt10),
        Format(f.ProductMeanAveragePrecision), Format(f.StyleRecallAt4), Format(f.CategoryPrecisionAt4Magento), Format(f.CategoryPrecisionAt4Ikea),
    ];

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("F3", CultureInfo.InvariantCulture);
}
