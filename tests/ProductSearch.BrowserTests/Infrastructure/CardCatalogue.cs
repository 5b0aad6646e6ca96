using System.Globalization;
using ProductSearch.Products;

namespace ProductSearch.BrowserTests.Infrastructure;

/// <summary>
/// The <c>cards</c> category: one generated photo per product, each uploaded with its product's attributes as blob
/// metadata, as a shop brings its catalogue (docs/products.md). Most products are full cards, some lack a price, a
/// currency or a label, and one has no attributes at all; five of the eight are <c>instock = true</c>.
/// </summary>
public static class CardCatalogue
{
    public const string Category = "cards";

    public const string InStockLabel = "instock";

    /// <summary>The product without any attribute: its tile is the photo and its id.</summary>
    public const string Bare = "card-4";

    public static IReadOnlyList<Product> Products { get; } =
    [
        new("card-0", 0, new ProductAttributes { Title = "Tee Aero", Url = "https://shop.example/p/tee-aero", Price = "29.00", Currency = "EUR", Labels = Labels("blue", "true") }),
        new("card-1", 1, new ProductAttributes { Title = "Hoodie Ridge", Url = "https://shop.example/p/hoodie-ridge", Price = "59.90", Currency = "EUR", Labels = Labels("red", "false") }),
        new("card-2", 2, new ProductAttributes { Title = "Pullover «Nordlys» wool", Url = "https://shop.example/p/nordlys", Price = "89.00", Currency = "EUR", Labels = Labels("red", "true") }),
        new("card-3", 3, new ProductAttributes { Title = "Cap Pico", Url = "https://shop.example/p/cap-pico", Price = "12.5", Currency = "USD", Labels = Labels("green", "true") }),
        new(Bare, 4, null),
        new("card-5", 5, new ProductAttributes { Title = "Scarf Loop", Url = "https://shop.example/p/scarf-loop", Price = "19.00", Currency = "EUR", Labels = Labels("blue", "true") }),
        // A long title, and a price without a currency: shown as the shop wrote it.
        new("card-6", 6, new ProductAttributes { Title = "Organic cotton long-sleeve crew-neck tee, relaxed fit", Url = "https://shop.example/p/long-sleeve", Price = "7.5", Labels = Labels("green", "false") }),
        new("card-7", 7, new ProductAttributes { Title = "Socks Trail", Url = "https://shop.example/p/socks-trail", Labels = new Dictionary<string, string> { [InStockLabel] = "true" } }),
    ];

    /// <summary>The label choices the demo page offers: every label but <c>instock</c>, which has its own box.</summary>
    public static IReadOnlyList<string> LabelChoices => ["any", "color: blue", "color: green", "color: red"];

    public static Product ById(string productId) => Products.Single(p => p.ProductId == productId);

    /// <summary>The product whose photo has this image id (its file name).</summary>
    public static Product ByImageId(string imageId) => Products.Single(p => p.ImageId == imageId);

    public static Task IndexAsync(FunctionAppHarness functions) => CatalogueSeed.IndexAsync(functions, Category,
        Products.Select(p => new CatalogueSeed.Photo(p.ImageId, p.ProductId, ProductPhotoGenerator.Jpeg(p.Shape, 0), p.Attributes)));

    private static Dictionary<string, string> Labels(string color, string inStock) => new() { ["color"] = color, [InStockLabel] = inStock };

    /// <param name="Shape">The generated product whose photo it has.</param>
    public sealed record Product(string ProductId, int Shape, ProductAttributes? Attributes)
    {
        public string ImageId => ProductId + ".jpg";

        public bool InStock => Attributes?.Labels.GetValueOrDefault(InStockLabel) == "true";

        /// <summary>What a card names it: its title, else its product id.</summary>
        public string Name => Attributes?.Title ?? ProductId;

        /// <summary>Its price as a card shows it in an <c>en-US</c> browser: Intl's currency format, or as given without a currency.</summary>
        public string? PriceInEnglish => Attributes?.Price is not { } price ? null : Attributes.Currency switch
        {
            null => price,
            "EUR" => "€" + decimal.Parse(price, CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture),
            "USD" => "$" + decimal.Parse(price, CultureInfo.InvariantCulture).ToString("N2", CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"No symbol known for {other}."),
        };
    }
}
