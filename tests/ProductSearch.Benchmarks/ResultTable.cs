using System.Globalization;

namespace ProductSearch.Benchmarks;

/// <summary>Which way a row's ratio reads: for times, baseline / figure says "times faster".</summary>
internal enum RatioOf
{
    BaselineOverFigure,
    FigureOverBaseline,
}

internal enum Unit
{
    Nanoseconds,
    Milliseconds,
    PerSecond,
    Bytes,
    Percent,
    Count,
}

/// <summary>
/// Figure, baseline and their ratio on one line, both measured in the same run; each row says which way its
/// ratio reads, so it compares directly with the goal in its name.
/// </summary>
internal sealed class ResultTable
{
    private readonly string _title;
    private readonly string _figureHeader;
    private readonly string _baselineHeader;
    private readonly List<(string Name, string Figure, string Baseline, string Ratio)> _rows = [];

    public ResultTable(string title, string figureHeader, string baselineHeader)
    {
        _title = title;
        _figureHeader = figureHeader;
        _baselineHeader = baselineHeader;
    }

    public void Add(string name, double figure, double baseline, Unit unit, RatioOf ratioOf)
    {
        var ratio = ratioOf == RatioOf.FigureOverBaseline ? figure / baseline : baseline / figure;
        _rows.Add((name, Format(figure, unit), Format(baseline, unit), double.IsFinite(ratio) ? ratio.ToString("0.00x", CultureInfo.InvariantCulture) : "-"));
    }

    public void Print()
    {
        var nameWidth = Math.Max(10, _rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        var figureWidth = Math.Max(_figureHeader.Length, _rows.Select(r => r.Figure.Length).DefaultIfEmpty(0).Max());
        var baselineWidth = Math.Max(_baselineHeader.Length, _rows.Select(r => r.Baseline.Length).DefaultIfEmpty(0).Max());
        Console.WriteLine();
        Console.WriteLine("## " + _title);
        Console.WriteLine($"| {"".PadRight(nameWidth)} | {_figureHeader.PadLeft(figureWidth)} | {_baselineHeader.PadLeft(baselineWidth)} | ratio          |");
        Console.WriteLine($"|{new string('-', nameWidth + 2)}|{new string('-', figureWidth + 2)}|{new string('-', baselineWidth + 2)}|----------------|");
        foreach (var (name, figure, baseline, ratio) in _rows)
        {
            Console.WriteLine($"| {name.PadRight(nameWidth)} | {figure.PadLeft(figureWidth)} | {baseline.PadLeft(baselineWidth)} | {ratio,14} |");
        }
    }

    private static string Format(double value, Unit unit) => double.IsNaN(value)
        ? "-"
        : unit switch
        {
            Unit.Nanoseconds when value >= 1e6 => (value / 1e6).ToString("0.00 ms", CultureInfo.InvariantCulture),
            Unit.Nanoseconds => (value / 1e3).ToString("0.0 us", CultureInfo.InvariantCulture),
            Unit.Milliseconds when value < 1 => (value * 1e3).ToString("0 us", CultureInfo.InvariantCulture),
            Unit.Milliseconds => value.ToString("0.0 ms", CultureInfo.InvariantCulture),
            Unit.PerSecond => value.ToString("N1", CultureInfo.InvariantCulture) + "/s",
            Unit.Bytes => value.ToString("N0", CultureInfo.InvariantCulture) + " B",
            Unit.Percent => value.ToString("0.0", CultureInfo.InvariantCulture) + " %",
            Unit.Count => value.ToString("N0", CultureInfo.InvariantCulture),
            _ => value.ToString(CultureInfo.InvariantCulture),
        };
}
