using System.Text;

namespace ProductSearch.Products;

/// <summary>
/// The rules a product's attributes keep (docs/products.md): small enough for one table row and a product card, plain
/// enough to filter on and to show without escaping surprises. <see cref="Problems"/> names every broken rule at once,
/// so a shop fixes its data in one round.
/// </summary>
public static class ProductAttributeRules
{
    public const int MaxLabels = 32;
    public const int MaxKeyLength = 40;
    public const int MaxValueLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxUrlLength = 2000;
    public const int MaxPriceLength = 20;
    public const int MaxPriceDecimals = 4;

    /// <summary>Every rule <paramref name="attributes"/> breaks, one sentence each naming the field; empty when none.</summary>
    public static IReadOnlyList<string> Problems(ProductAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var problems = new List<string>();
        if (attributes.Labels.Count > MaxLabels)
        {
            problems.Add($"labels: {attributes.Labels.Count} labels, at most {MaxLabels} are allowed.");
        }

        foreach (var (key, value) in attributes.Labels)
        {
            if (KeyProblem(key) is { } keyProblem)
            {
                problems.Add(keyProblem);
            }

            if (ValueProblem(key, value) is { } valueProblem)
            {
                problems.Add(valueProblem);
            }
        }

        AddIfAny(problems, TitleProblem(attributes.Title));
        AddIfAny(problems, UrlProblem(attributes.Url));
        AddIfAny(problems, PriceProblem(attributes.Price));
        AddIfAny(problems, CurrencyProblem(attributes.Currency, attributes.Price));
        return problems;
    }

    /// <summary>Why <paramref name="key"/> is no label key, or null when it is one.</summary>
    public static string? KeyProblem(string key)
    {
        var valid = key.Length is >= 1 and <= MaxKeyLength
            && char.IsAsciiLetterLower(key[0])
            && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.');
        return valid
            ? null
            : $"label key '{Shown(key)}' must start with a lowercase letter a-z and hold only a-z, 0-9, '_', '-' and '.', 1 to {MaxKeyLength} characters.";
    }

    /// <summary>Why <paramref name="value"/> is no value for label <paramref name="key"/>, or null when it is one.</summary>
    public static string? ValueProblem(string key, string value)
    {
        var what = $"label '{Shown(key)}': the value";
        return LengthOf(value) is < 1 or > MaxValueLength ? $"{what} must be 1 to {MaxValueLength} characters."
            : TextProblem(value) is { } problem ? $"{what} {problem}"
            : char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) ? $"{what} must not start or end with whitespace."
            : null;
    }

    private static string? TitleProblem(string? title) =>
        title is null ? null
        : LengthOf(title) is < 1 or > MaxTitleLength ? $"title must be 1 to {MaxTitleLength} characters."
        : TextProblem(title) is { } problem ? $"title {problem}"
        : null;

    private static string? UrlProblem(string? url) =>
        url is null ? null
        : url.Length > MaxUrlLength ? $"url must be at most {MaxUrlLength} characters."
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !url.Any(char.IsControl)
            ? null
            : "url must be an absolute http or https URL (the product page).";

    private static string? PriceProblem(string? price)
    {
        if (price is null)
        {
            return null;
        }

        var point = price.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? price : price[..point];
        var decimals = point < 0 ? "" : price[(point + 1)..];
        var valid = price.Length <= MaxPriceLength
            && whole.Length > 0 && whole.All(char.IsAsciiDigit)
            && (point < 0 || (decimals.Length is >= 1 and <= MaxPriceDecimals && decimals.All(char.IsAsciiDigit)));
        return valid
            ? null
            : $"price '{Shown(price)}' must be a non-negative decimal number with '.' and at most {MaxPriceDecimals} decimals (such as 29.00), at most {MaxPriceLength} characters.";
    }

    private static string? CurrencyProblem(string? currency, string? price) =>
        currency is null ? null
        : currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper) ? $"currency '{Shown(currency)}' must be an ISO 4217 code: three uppercase letters (such as EUR)."
        : price is null ? "currency is given without a price."
        : null;

    // Characters as people count them: a letter outside the Basic Multilingual Plane is one, not two UTF-16 units.
    private static int LengthOf(string value)
    {
        var length = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            length++;
        }

        return length;
    }

    private static string? TextProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return "must not hold control characters.";
            }

            if (char.IsSurrogate(value[i]) && !(char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[++i])))
            {
                return "must be valid Unicode text (a lone surrogate).";
            }
        }

        return null;
    }

    private static void AddIfAny(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }

    // A sentence quotes what it refuses: control characters are shown escaped, and a long value is cut.
    private static string Shown(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > 60 ? value[..60] : value)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return value.Length > 60 ? text.Append("...").ToString() : text.ToString();
    }
}
