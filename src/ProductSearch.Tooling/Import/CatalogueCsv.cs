using nietras.SeparatedValues;
using ProductSearch.Products;
using ProductSearch.Storage;

namespace ProductSearch.Tooling.Import;

/// <summary>One good row of a catalogue CSV: the photo it names (as its blob name, <c>category/file</c>) and its product.</summary>
public sealed record CatalogueRow(int Line, string BlobName, string ProductId, ProductAttributes Attributes);

/// <summary>A row skipped whole, with its line in the file (the first line of a row whose quoted field spans lines).</summary>
public sealed record CsvRowProblem(int Line, string? BlobName, string Reason);

/// <summary>What a catalogue CSV says: its good rows, one per photo, and the rows it skipped.</summary>
public sealed record CatalogueCsvContent(IReadOnlyList<CatalogueRow> Rows, IReadOnlyList<CsvRowProblem> Problems);

/// <summary>
/// Reads a catalogue CSV in the spirit of Vision Product Search's: a header row, columns by name (any case),
/// <c>image</c>, <c>category</c> and <c>product_id</c>, then optional <c>title</c>, <c>url</c>, <c>price</c>,
/// <c>currency</c> and <c>labels</c> (<c>key=value,key=value</c> in one quoted field). RFC 4180 quoting through Sep.
/// <c>image</c> is the photo's path under the photo folder, <c>category/file</c> or just <c>file</c> inside the
/// category's folder, so the CSV can live anywhere. A row breaking any rule is reported and left out whole.
/// </summary>
public static class CatalogueCsv
{
    public const string Image = "image";
    public const string Category = "category";
    public const string ProductIdColumn = "product_id";

    private static readonly string[] Required = [Image, Category, ProductIdColumn];

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public static CatalogueCsvContent Read(string csvPath, string photoFolder)
    {
        using var reader = Sep.New(',').Reader(o => o with
        {
            Unescape = true,
            DisableColCountCheck = true, // a short row is one bad row, reported with its line, not the end of the file
            ColNameComparer = StringComparer.OrdinalIgnoreCase,
        }).FromFile(csvPath);
        if (!reader.HasHeader || reader.Header.ColNames.Count == 0 || reader.Header.ColNames is [""])
        {
            throw new InvalidDataException($"The CSV '{csvPath}' is empty: its first line must name the columns ({string.Join(", ", Required)}, ...).");
        }

        foreach (var name in Required.Where(n => !reader.Header.TryIndexOf(n, out _)))
        {
            throw new InvalidDataException($"The CSV '{csvPath}' has no '{name}' column (its columns: {string.Join(", ", reader.Header.ColNames)}).");
        }

        var columns = reader.Header.ColNames.Count;
        int? Optional(string name) => reader.Header.TryIndexOf(name, out var index) ? index : null;
        var (image, category, product) = (reader.Header.IndexOf(Image), reader.Header.IndexOf(Category), reader.Header.IndexOf(ProductIdColumn));
        var (title, url, price, currency, labels) = (Optional("title"), Optional("url"), Optional("price"), Optional("currency"), Optional("labels"));

        var rows = new List<CatalogueRow>();
        var problems = new List<CsvRowProblem>();
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.IsEmpty)
            {
                continue; // a blank line
            }

            if (row.ColCount < columns)
            {
                // Its photo, when the row gets that far, is refused with it rather than uploaded without its product.
                var named = Field(row, image) is { } shortImage && Field(row, category) is { } shortCategory ? BlobNameOf(shortImage, shortCategory) : null;
                problems.Add(new CsvRowProblem(line, named, $"The row has {row.ColCount} fields: the header names {columns}."));
                continue;
            }

            var parsed = ParseRow(Field(row, image), Field(row, category), Field(row, product), Field(row, labels), photoFolder);
            if (parsed.Problem is not null)
            {
                problems.Add(new CsvRowProblem(line, parsed.BlobName, parsed.Problem));
                continue;
            }

            var attributes = new ProductAttributes
            {
                Title = Field(row, title),
                Url = Field(row, url),
                Price = Field(row, price),
                Currency = Field(row, currency),
                Labels = parsed.Labels,
            };
            var broken = parsed.LabelProblems.Concat(ProductAttributeRules.Problems(attributes)).ToList();
            var problem = broken.Count > 0 ? OneSentence(broken)
                : OwnedMetadata.SizeOf(OwnedMetadata.Of(parsed.ProductId!, attributes)) is var size and > OwnedMetadata.MaxBytes
                    ? $"The row's metadata takes {size} bytes once encoded: storage takes at most {OwnedMetadata.MaxBytes}."
                : null;
            if (problem is not null)
            {
                problems.Add(new CsvRowProblem(line, parsed.BlobName, problem));
                continue;
            }

            rows.Add(new CatalogueRow(line, parsed.BlobName!, parsed.ProductId!, attributes));
        }

        return WithoutDisagreements(rows, problems);
    }

    /// <summary>A field's text; null when it is empty (an optional field left unset).</summary>
    private static string? Field(SepReader.Row row, int? index) => index is { } i && i < row.ColCount && row[i].Span.Length > 0 ? row[i].ToString() : null;

    /// <summary>Every rule a row breaks, in one sentence: the shop fixes the row in one round.</summary>
    private static string OneSentence(List<string> problems) =>
        $"The row's {string.Join("; ", problems.Select(p => p.EndsWith('.') ? p[..^1] : p))}.";

    private static (string? BlobName, string? ProductId, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> LabelProblems, string? Problem) ParseRow(
        string? image, string? category, string? productId, string? labels, string photoFolder)
    {
        if (image is null || category is null || productId is null)
        {
            return (null, null, NoLabels, [], $"The row has no {(image is null ? Image : category is null ? Category : ProductIdColumn)}.");
        }

        if (CatalogNames.CategoryProblem(category) is { } categoryProblem)
        {
            return (null, null, NoLabels, [], categoryProblem);
        }

        var blobName = BlobNameOf(image, category);
        if (!blobName.StartsWith(category + "/", StringComparison.Ordinal) || blobName.IndexOf('/', category.Length + 1) >= 0)
        {
            return (blobName, null, NoLabels, [], $"The image '{image}' is not in the category's folder: write it as '{category}/<file>' or '<file>', under the photo folder.");
        }

        var file = blobName[(category.Length + 1)..];
        if ((file is "." or ".." ? $"The image '{image}' is not a file name." : CatalogNames.BlobNameProblem(blobName)) is { } nameProblem)
        {
            return (blobName, null, NoLabels, [], nameProblem);
        }

        if (!PhotoFiles.IsPhoto(file))
        {
            return (blobName, null, NoLabels, [], $"The image '{image}' is not a JPEG, PNG or WebP file name (.jpg, .jpeg, .png, .webp).");
        }

        if (!File.Exists(Path.Combine(photoFolder, category, file)))
        {
            return (blobName, null, NoLabels, [], $"The image '{image}' is not in the photo folder (no file {Path.Combine(photoFolder, category, file)}).");
        }

        if (productId.Any(c => c is < ' ' or > '~') || productId.Trim().Length != productId.Length)
        {
            return (blobName, null, NoLabels, [], $"The product_id '{productId}' must be printable ASCII without leading or trailing spaces: it is stored raw in blob metadata.");
        }

        var (parsedLabels, labelProblems, labelsProblem) = ParseLabels(labels);
        return (blobName, productId, parsedLabels, labelProblems, labelsProblem);
    }

    /// <summary>
    /// The blob a row's photo is stored as: <c>category/file</c> for a bare file name, else the path as written (which
    /// must then be <c>category/file</c>), so a row is refused together with the photo it names.
    /// </summary>
    private static string BlobNameOf(string image, string category)
    {
        var path = image.Replace('\\', '/');
        return path.Contains('/', StringComparison.Ordinal) ? path : $"{category}/{path}";
    }

    /// <summary>
    /// <c>key=value,key=value</c>, as Vision's CSV writes labels; spaces around each pair are dropped. A key given twice
    /// is a broken rule (the attributes keep one value a key, so the rules could not see it afterwards).
    /// </summary>
    private static (IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Problems, string? Problem) ParseLabels(string? labels)
    {
        if (labels is null)
        {
            return (NoLabels, [], null);
        }

        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var pair in labels.Split(',').Select(p => p.Trim()))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return (NoLabels, [], $"The row's labels are not key=value,key=value: '{pair}' has no key and '='.");
            }

            var (key, value) = (pair[..equals], pair[(equals + 1)..]);
            if (!parsed.TryAdd(key, value))
            {
                problems.Add($"label key '{key}' is given twice.");
                if (ProductAttributeRules.ValueProblem(key, value) is { } valueProblem)
                {
                    problems.Add(valueProblem);
                }
            }
        }

        return (parsed, problems.Distinct(StringComparer.Ordinal).ToList(), null);
    }

    /// <summary>Rows naming one photo must agree; rows that disagree are all skipped, since none can be known right.</summary>
    private static CatalogueCsvContent WithoutDisagreements(List<CatalogueRow> rows, List<CsvRowProblem> problems)
    {
        var kept = new List<CatalogueRow>();
        foreach (var photo in rows.GroupBy(r => r.BlobName, StringComparer.Ordinal))
        {
            var first = photo.First();
            if (photo.All(r => r.ProductId == first.ProductId && r.Attributes.Equals(first.Attributes)))
            {
                kept.Add(first);
                continue;
            }

            var lines = string.Join(", ", photo.Select(r => r.Line));
            problems.AddRange(photo.Select(r => new CsvRowProblem(r.Line, r.BlobName, $"Rows on lines {lines} name the same photo with different values.")));
        }

        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new CatalogueCsvContent(kept, problems);
    }
}
