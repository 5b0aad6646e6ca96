using System.Globalization;
using System.Net;
using System.Text;
using ProductSearch.Decoding;
using ProductSearch.Imaging;
using ProductSearch.Tooling.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace ProductSearch.Cli.Evaluation;

/// <summary>
/// One self-contained HTML file (thumbnails embedded) that anyone can open offline: sample queries with their
/// top 4 and distances, right answers marked, and a recall@k chart per variant.
/// </summary>
internal static class EvaluationReport
{
    private const int ThumbnailWidth = 120;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <param name="datasetRoot">The folder the manifest's paths start from: the thumbnails are read from it.</param>
    public static async Task WriteAsync(string path, string datasetRoot, int photos, EvaluationResults results, CancellationToken cancellationToken)
    {
        var (reports, colourSweep, subsets) = (results.Reports, results.ColourSweep, results.Subsets);
        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Product search: retrieval quality</title><style>
            body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.4rem}table{border-collapse:collapse;margin:1rem 0}
            td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
            .query{display:flex;gap:.5rem;align-items:flex-start;margin:.8rem 0;flex-wrap:wrap}.card{width:120px;font-size:11px;text-align:center}
            .card img{width:120px;border:4px solid #eee;border-radius:4px}.card.q img{border-color:#333}.card.product img{border-color:#2ca02c}
            .card.style img{border-color:#ff7f0e}.legend span{margin-right:1rem}</style></head><body>
            <h1>Product search: retrieval quality</h1>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<p>{photos} photos, leave-one-out within each category. Recall@k: a photo of the same product among the top k.</p>");
        AppendSummary(html, reports, subsets);
        html.Append("<h2>Same-product recall@k</h2>").Append(RecallChart(reports));
        if (colourSweep.Count > 1)
        {
            var chart = TradeOffChart(colourSweep, subsets);
            html.Append("<h2>Colour weight trade-off</h2>").Append(chart);
            await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "colour-tradeoff.svg"), chart, cancellationToken);
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Sample queries: {WebUtility.HtmlEncode(reports[0].Label)}, top {EvaluationSweep.SampleTop} of the same category</h2>");
        html.Append("<p class=\"legend\"><span style=\"color:#2ca02c\">■ same product</span><span style=\"color:#ff7f0e\">■ same style, other colour</span><span>■ other</span></p>");
        // The photos are decoded in decoder processes, as the app decodes uploads: this process runs no decoder.
        using var thumbnails = IsolatedPhotoDecoder.CreateStandalone(new ModelInput { Name = "thumbnail", Width = ThumbnailWidth, Height = ThumbnailWidth, Resize = InputResize.CenterCrop });
        foreach (var sample in results.Samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await AppendQueryAsync(html, datasetRoot, thumbnails, sample, cancellationToken);
        }

        html.Append("</body></html>");
        await File.WriteAllTextAsync(path, html.ToString(), cancellationToken);
    }

    private static void AppendSummary(StringBuilder html, IReadOnlyList<QualityReport> reports, IReadOnlyList<string> subsets)
    {
        html.Append("<table><tr><th>variant</th>");
        foreach (var header in QualityTables.Headers(subsets))
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var r in reports)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(r.Label)).Append("</td>");
            foreach (var value in QualityTables.Values(r.Overall, subsets))
            {
                html.Append("<td>").Append(QualityTables.Format(value)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    /// <summary>An SVG line chart drawn here, so the report needs no script and no network.</summary>
    private static string RecallChart(IReadOnlyList<QualityReport> reports)
    {
        const int width = 640, height = 320, left = 50, bottom = 40, right = 170, top = 15;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var k = RetrievalEvaluator.CurveLength;
        string X(int i) => (left + (plotWidth * (i - 1) / (double)(k - 1))).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double v) => (top + (plotHeight * (1 - v))).ToString("F1", CultureInfo.InvariantCulture);

        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-size=\"11\">");
        for (var tick = 0; tick <= 10; tick += 2)
        {
            var v = tick / 10.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{Y(v)}\" y2=\"{Y(v)}\" stroke=\"#eee\"/><text x=\"{left - 8}\" y=\"{Y(v)}\" text-anchor=\"end\" dy=\"4\">{v:F1}</text>");
        }

        foreach (var i in new[] { 1, 4, 10, 20 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{i}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{height - 6}\" text-anchor=\"middle\">k</text>");
        for (var r = 0; r < reports.Count; r++)
        {
            var colour = Palette[r % Palette.Length];
            var points = string.Join(' ', reports[r].ProductRecallCurve.Select((v, i) => $"{X(i + 1)},{Y(v)}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth + 8}\" y=\"{top + 14 + (r * 16)}\" fill=\"{colour}\">{WebUtility.HtmlEncode(reports[r].Label)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Figures of one variant against the colour weight w (x axis): same product, other colours of the style, category.</summary>
    internal static string TradeOffChart(IReadOnlyList<(float Weight, QualityReport Report)> sweep, IReadOnlyList<string> subsets)
    {
        const int width = 640, height = 320, left = 50, bottom = 40, right = 190, top = 15;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var points = sweep.OrderBy(s => s.Weight).ToList();
        var maxWeight = Math.Max(0.1, points[^1].Weight);
        string X(double w) => (left + (plotWidth * w / maxWeight)).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double v) => (top + (plotHeight * (1 - v))).ToString("F1", CultureInfo.InvariantCulture);
        (string Name, Func<QualityFigures, double> Value)[] series =
        [
            ("product R@1", f => f.ProductRecallAt1), ("product R@4", f => f.ProductRecallAt4), ("other colours of style R@4", f => f.StyleRecallAt4),
            .. subsets.Select(s => ($"category P@4 {s}", (Func<QualityFigures, double>)(f => f.CategoryPrecisionAt4.GetValueOrDefault(s, double.NaN)))),
        ];
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-size=\"11\" font-family=\"sans-serif\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        for (var tick = 0; tick <= 10; tick += 2)
        {
            var v = tick / 10.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{Y(v)}\" y2=\"{Y(v)}\" stroke=\"#eee\"/><text x=\"{left - 8}\" y=\"{Y(v)}\" text-anchor=\"end\" dy=\"4\">{v:F1}</text>");
        }

        // The first weight of the sweep is the default: marked, so the chart shows where the app stands.
        var chosen = sweep[0].Weight;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(chosen)}\" x2=\"{X(chosen)}\" y1=\"{Y(1)}\" y2=\"{Y(0)}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/><text x=\"{X(chosen)}\" y=\"{top + 8}\" dx=\"4\" fill=\"#666\">default {chosen:0.##}</text>");
        var lastLabel = double.NegativeInfinity;
        foreach (var (weight, _) in points)
        {
            var x = left + (plotWidth * weight / maxWeight);
            if (x - lastLabel < 28)
            {
                continue; // Labels of close weights would overlap.
            }

            lastLabel = x;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(weight)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{weight:0.##}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{height - 6}\" text-anchor=\"middle\">colour weight w</text>");
        for (var i = 0; i < series.Length; i++)
        {
            var colour = Palette[i % Palette.Length];
            var line = string.Join(' ', points.Select(p => $"{X(p.Weight)},{Y(series[i].Value(p.Report.Overall))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{line}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth + 8}\" y=\"{top + 14 + (i * 16)}\" fill=\"{colour}\">{WebUtility.HtmlEncode(series[i].Name)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static async Task AppendQueryAsync(StringBuilder html, string datasetRoot, IPhotoDecoder thumbnails, SampleQuery sample, CancellationToken cancellationToken)
    {
        var query = sample.Query;
        html.Append("<div class=\"query\">").Append(await CardAsync(datasetRoot, thumbnails, query, "q", $"query · {query.Category}", cancellationToken));
        foreach (var (hit, distance) in sample.Hits)
        {
            var kind = hit.ProductId == query.ProductId ? "product" : hit.StyleId is not null && hit.StyleId == query.StyleId ? "style" : "";
            html.Append(await CardAsync(datasetRoot, thumbnails, hit, kind, distance.ToString("F3", CultureInfo.InvariantCulture), cancellationToken));
        }

        html.Append("</div>");
    }

    private static async Task<string> CardAsync(
        string datasetRoot, IPhotoDecoder thumbnails, ManifestEntry entry, string kind, string caption, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(datasetRoot, entry.Path));
        using var image = await thumbnails.DecodeFittedAsync(file, cancellationToken);
        using var jpeg = new MemoryStream();
        await image.SaveAsJpegAsync(jpeg, new JpegEncoder { Quality = 70 }, cancellationToken);
        return $"<div class=\"card {kind}\"><img alt=\"{WebUtility.HtmlEncode(entry.ImageId)}\" src=\"data:image/jpeg;base64,{Convert.ToBase64String(jpeg.ToArray())}\"><br>{WebUtility.HtmlEncode(entry.ProductId)}<br>{WebUtility.HtmlEncode(caption)}</div>";
    }
}
