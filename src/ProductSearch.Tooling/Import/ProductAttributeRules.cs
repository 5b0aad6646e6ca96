using System.Globalization;
using System.Text.RegularExpressions;

namespace ProductSearch.Tooling.Import;

/// <summary>
/// The shared contract's rules for a product's labels and display fields, each broken rule as a sentence. The one
/// place the import checks them: when the serving library gets its own validator, this class calls it instead.
/// </summary>
public static partial class ProductAttributeRules
{
    public const int MaxLabels = 32;
    public const int MaxKeyLength = 40;
    public const int MaxValueLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxUrlLength = 2000;
    public const int MaxPriceLength = 20;

    /// <summary>Null when the attributes keep every rule, else the first rule broken.</summary>
    public static string? Problem(ProductAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return TitleProblem(attributes.Title)
            ?? UrlProblem(attributes.Url)
            ?? PriceProblem(attributes.Price, attributes.Currency)
            ?? LabelsProblem(attributes.Labels);
    }

    private static string? TitleProblem(string? title) =>
        title is null ? null
        : title.Length > MaxTitleLength ? $"title is {Count(title.Length)} characters: the limit is {Count(MaxTitleLength)}."
        : title.Any(char.IsControl) ? "title contains a control character."
        : null;

    private static string? UrlProblem(string? url) =>
        url is null ? null
        : url.Length > MaxUrlLength ? $"url is {Count(url.Length)} characters: the limit is {Count(MaxUrlLength)}."
        : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            ? $"url '{url}' is not an absolute http or https URL."
        : null;

    private static string? PriceProblem(string? price, string? currency) =>
        price is not null && (price.Length > MaxPriceLength || !PricePattern().IsMatch(price))
            ? $"price '{price}' is not a non-negative decimal with '.' and at most 4 decimals (at most {MaxPriceLength} characters)."
        : currency is not null && !CurrencyPattern().IsMatch(currency) ? $"currency '{currency}' is not an ISO 4217 code (three upper-case letters)."
        : currency is not null && price is null ? "currency is given without a price."
        : null;

    private static string? LabelsProblem(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count > MaxLabels)
        {
            return $"{labels.Count} labels: the limit is {MaxLabels}.";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (!KeyPattern().IsMatch(key))
            {
                return $"label key '{key}' must be 1 to {MaxKeyLength} characters: a lower-case ASCII letter, then lower-case letters, digits, '_', '-' or '.'.";
            }

            if (!seen.Add(key))
            {
                return $"label key '{key}' is given twice.";
            }

            if (value.Length is 0 or > MaxValueLength)
            {
                return $"label '{key}' has a value of {Count(value.Length)} characters: it must be 1 to {MaxValueLength}.";
            }

            if (value.Any(char.IsControl))
            {
                return $"label '{key}' has a control character in its value.";
            }

            if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            {
                return $"label '{key}' has a value with leading or trailing white space.";
            }
        }

        return null;
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[a-z][a-z0-9_.-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]{1,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PricePattern();

    [GeneratedRegex(@"^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();
}
