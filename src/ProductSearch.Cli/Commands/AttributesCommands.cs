using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ProductSearch.Cli.Catalog;
using ProductSearch.Indexing;
using ProductSearch.Products;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary><c>attributes set</c>: replaces a product's attributes (or, with <c>--merge</c>, lays the given ones over them), as the admin endpoint does.</summary>
internal sealed class SetAttributesCommand(IAnsiConsole terminal) : CatalogCommand<SetAttributesCommand.Settings>(terminal)
{
    internal sealed class Settings : AttributesSettings
    {
        [CommandOption("--title <TITLE>")]
        [Description("Display name, 1 to 200 characters.")]
        public string? Title { get; init; }

        [CommandOption("--url <URL>")]
        [Description("The product page: an absolute http or https URL.")]
        public string? Url { get; init; }

        [CommandOption("--price <PRICE>")]
        [Description("Price as shown: a non-negative decimal with '.' and at most 4 decimals (29.00).")]
        public string? Price { get; init; }

        [CommandOption("--currency <CODE>")]
        [Description("ISO 4217 code of the price (EUR); only with a price.")]
        public string? Currency { get; init; }

        [CommandOption("-l|--label <KEY=VALUE>")]
        [Description("A label, repeatable: key (a-z first, then a-z 0-9 _ - .) = value (1 to 100 characters).")]
        public string[] Labels { get; init; } = [];

        [CommandOption("--merge")]
        [Description("Keep the stored attributes and lay these over them (each label replaces its key) instead of replacing them all.")]
        public bool Merge { get; init; }

        public override ValidationResult Validate() =>
            Labels.FirstOrDefault(l => !l.Contains('=', StringComparison.Ordinal)) is { } bad
                ? ValidationResult.Error($"--label '{bad}' is not key=value.")
                : base.Validate();

        public ProductAttributes Attributes() => new()
        {
            Title = Title,
            Url = Url,
            Price = Price,
            Currency = Currency,
            Labels = Labels.Select(l => l.Split('=', 2)).GroupBy(kv => kv[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal),
        };
    }

    protected override async Task<int> RunAsync(IServiceProvider services, Settings settings, CancellationToken cancellationToken)
    {
        var writer = services.GetRequiredService<ProductAttributeWriter>();
        var wanted = settings.Attributes();
        if (settings.Merge)
        {
            wanted = (await writer.GetAsync(settings.Category, settings.ProductId, cancellationToken) ?? ProductAttributes.Empty).Overlay(wanted);
        }

        var change = await writer.SetAsync(settings.Category, settings.ProductId, wanted, cancellationToken);
        if (change.Refused)
        {
            return Fail($"The attributes of {settings.Category}/{settings.ProductId} were not set: {string.Join(" ", change.Problems)}");
        }

        return AttributesView.Print(Terminal, Json, settings, wanted, change.Written ? "Set" : "Already so");
    }
}

/// <summary><c>attributes show</c>: a product's stored attributes.</summary>
internal sealed class ShowAttributesCommand(IAnsiConsole terminal) : CatalogCommand<AttributesSettings>(terminal)
{
    protected override async Task<int> RunAsync(IServiceProvider services, AttributesSettings settings, CancellationToken cancellationToken)
    {
        var stored = await services.GetRequiredService<ProductAttributeWriter>().GetAsync(settings.Category, settings.ProductId, cancellationToken);
        return AttributesView.Print(Terminal, Json, settings, stored, "Stored");
    }
}

/// <summary><c>attributes clear</c>: removes a product's attributes, as <c>DELETE .../attributes</c> does.</summary>
internal sealed class ClearAttributesCommand(IAnsiConsole terminal) : CatalogCommand<AttributesSettings>(terminal)
{
    protected override async Task<int> RunAsync(IServiceProvider services, AttributesSettings settings, CancellationToken cancellationToken)
    {
        var cleared = await services.GetRequiredService<ProductAttributeWriter>().ClearAsync(settings.Category, settings.ProductId, cancellationToken);
        return AttributesView.Print(Terminal, Json, settings, null, cleared ? "Cleared" : "Had none");
    }
}

/// <summary>A product's attributes as text, or as the HTTP API's answer (openapi.json, ProductAttributes) with <c>--json</c>.</summary>
internal static class AttributesView
{
    public static int Print(IAnsiConsole terminal, bool json, AttributesSettings settings, ProductAttributes? attributes, string outcome)
    {
        if (json)
        {
            JsonOutput.Write(terminal, new { settings.Category, settings.ProductId, product = ProductJson.Of(attributes) });
            return 0;
        }

        terminal.MarkupLineInterpolated($"{outcome}: {settings.Category}/{settings.ProductId}");
        if (attributes is null || attributes.IsEmpty)
        {
            terminal.WriteLine("No attributes: answers show the photo-only tile.");
            return 0;
        }

        var table = new Table().AddColumns("Attribute", "Value");
        void Row(string name, string? value)
        {
            if (value is not null)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }
        }

        Row("title", attributes.Title);
        Row("url", attributes.Url);
        Row("price", attributes.Price);
        Row("currency", attributes.Currency);
        foreach (var (key, value) in attributes.Labels)
        {
            Row($"label {key}", value);
        }

        terminal.Write(table);
        return 0;
    }
}
