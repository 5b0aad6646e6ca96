using System.ComponentModel;
using ProductSearch.Indexing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ProductSearch.Cli.Commands;

/// <summary>The product every <c>attributes</c> command works on: its category and its product id.</summary>
internal class AttributesSettings : CatalogSettings, IJsonSettings
{
    [CommandArgument(0, "<CATEGORY>")]
    [Description("The product's category (its folder in the images container).")]
    public string Category { get; init; } = "";

    [CommandArgument(1, "<PRODUCT_ID>")]
    [Description("The product id: the blob's productid metadata, else the image's file name without extension. It need have no photo yet.")]
    public string ProductId { get; init; } = "";

    [CommandOption("--json")]
    [Description("Print one JSON document instead of text, for programs.")]
    public bool Json { get; init; }

    public override bool RunsTheModel => false;

    public override ValidationResult Validate() =>
        CommonOptions.CategoryError(Category) is { } category ? ValidationResult.Error(category.Replace("--category", "<CATEGORY>", StringComparison.Ordinal))
        : !ProductAttributeWriter.IsValidProductId(ProductId) ? ValidationResult.Error($"<PRODUCT_ID> '{ProductId}' cannot name a product (empty, control characters, or too long).")
        : base.Validate();
}
