using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.Search;
using ProductSearch.Search.Filtering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>query</c>: what the storefront would answer, as a table.</summary>
internal sealed class QueryCommand(IAnsiConsole terminal) : CatalogCommand<QueryCommand.Settings>(terminal)
{
    private static readonly SearchOptions SearchDefaults = new();

    internal sealed class Settings : CatalogSettings, IJsonSettings
    {
        [CommandOption("--json")]
        [Description("Print one JSON document instead of tables and progress, for programs.")]
        public bool Json { get; init; }

        [CommandOption("-c|--category <CATEGORY>")]
        [Description("Category to search (required).")]
        public string? Category { get; init; }

        [CommandOption("--image <FILE>")]
        [Description("More like this photo from disk.")]
        public string? Image { get; init; }

        [CommandOption("--id <IMAGE_ID>")]
        [Description("More like this indexed image: its name under the category folder (ms01-blue_main.jpg).")]
        public string? Id { get; init; }

        [CommandOption("-n|--top <N>")]
        [Description("Number of results, 1 to 100. Default: 4.")]
        public int Top { get; init; } = SearchDefaults.DefaultTop;

        [CommandOption("--group <product|image>")]
        [Description("product (default): one image per product, the query's own product left out; image: every image.")]
        public string Group { get; init; } = "product";

        [CommandOption("--colour <WEIGHT>")]
        [Description("Colour weight w, 0 (shape only) to 4: distance^2 = shape^2 + w^2 colour^2, as the HTTP 'colour' parameter. Default: Search:DefaultColourWeight (0.35).")]
        public float? Colour { get; init; }

        [CommandOption("--filter <FILTER>")]
        [Description("Only products whose labels match, as the HTTP 'filter' parameter: color = red OR color = blue AND instock = true.")]
        public string? Filter { get; init; }

        /// <summary>The parsed <see cref="Filter"/>, set by <see cref="Validate"/>.</summary>
        public ProductFilter? ParsedFilter { get; private set; }

        public override ValidationResult Validate()
        {
            if (Category is null)
            {
                return ValidationResult.Error("query needs --category <category>.");
            }

            if ((Image is null) == (Id is null))
            {
                return ValidationResult.Error("query needs one of --image <file> or --id <image id>.");
            }

            if (Image is not null && !File.Exists(Image))
            {
                return ValidationResult.Error($"--image: no file at '{Image}'.");
            }

            if (Top < 1 || Top > SearchDefaults.MaxTop)
            {
                return ValidationResult.Error($"--top must be from 1 to {SearchDefaults.MaxTop}, not {Top}.");
            }

            if (Colour is < 0 or > (float)SearchOptions.MaxColourWeight)
            {
                return ValidationResult.Error(FormattableString.Invariant($"--colour must be from 0 to {SearchOptions.MaxColourWeight}, not {Colour}."));
            }

            if (Group is not ("product" or "image"))
            {
                return ValidationResult.Error($"--group is product or image, not '{Group}'.");
            }

            if (!string.IsNullOrWhiteSpace(Filter))
            {
                try
                {
                    ParsedFilter = ProductFilter.Parse(Filter);
                }
                catch (FilterSyntaxException e)
                {
                    return ValidationResult.Error($"--filter: {e.Message}");
                }
            }

            return CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category) : base.Validate();
        }
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        var model = services.GetRequiredService<ModelDescriptor>();
        var search = services.GetRequiredService<SimilarProductSearch>();
        var category = settings.Category!;
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;
        var query = new SimilarityQuery(settings.Top)
        {
            GroupByProduct = settings.Group == "product",
            ColourWeight = settings.Colour ?? (float)options.DefaultColourWeight,
            Filter = settings.ParsedFilter,
        };
        SimilarProductsResult result;
        if (settings.Id is { } id)
        {
            result = await search.ByImageIdAsync(category, id, query, cancellationToken);
        }
        else
        {
            await using var image = File.OpenRead(settings.Image!);
            try
            {
                result = await search.ByImageAsync(category, image, query, cancellationToken);
            }
            catch (ImageRejectedException e)
            {
                return Fail($"--image {settings.Image}: {e.Message}");
            }
        }

        return result.Failure switch
        {
            SearchFailure.UnknownCategory => Fail(
                $"Category '{category}' has no vectors of model {model.Id} in table {settings.Table}. Run backfill, or check --model and --table."),
            SearchFailure.UnknownImage => Fail($"'{settings.Id}' has no vector of model {model.Id} in category '{category}'."),
            _ => Print(result.Products!),
        };
    }

    private int Print(SimilarProducts products)
    {
        if (Json)
        {
            // The HTTP API's answer, field for field (openapi.json, SimilarProducts).
            JsonOutput.Write(Terminal, new
            {
                products.Category,
                model = products.ModelId,
                products.Searched,
                colour = products.ColourWeight,
                results = products.Results.Select(r => new { r.Id, r.ProductId, r.Distance, r.Similarity, r.NearDuplicate, r.ImageUrl, product = ProductJson.Of(r.Product) }),
                products.Warnings,
            });
            return 0;
        }

        Terminal.MarkupLineInterpolated(
            $"{products.Results.Count} most similar in {products.Category} (model {products.ModelId}, colour weight {products.ColourWeight.ToString("0.###", CultureInfo.InvariantCulture)}, {products.Searched} images searched):");
        // A title column only when some product has one: a catalogue of photos alone reads as before.
        var titled = products.Results.Any(r => r.Product?.Title is not null);
        var table = new Table().AddColumns(titled ? ["#", "Id", "Product", "Title", "Distance", "Similarity", "Image URL"] : ["#", "Id", "Product", "Distance", "Similarity", "Image URL"]);
        var rank = 0;
        foreach (var result in products.Results)
        {
            var cells = new List<string> { (++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(result.Id), Markup.Escape(result.ProductId) };
            if (titled)
            {
                cells.Add(Markup.Escape(result.Product?.Title ?? ""));
            }

            cells.Add(result.Distance.ToString("F3", CultureInfo.InvariantCulture));
            cells.Add(result.Similarity.ToString("F3", CultureInfo.InvariantCulture));
            cells.Add(Markup.Escape(result.ImageUrl));
            table.AddRow([.. cells]);
        }

        Terminal.Write(table);
        foreach (var warning in products.Warnings)
        {
            Terminal.MarkupLineInterpolated($"[yellow]{warning}[/]");
        }

        return 0;
    }
}
