using System.Globalization;
using System.Text;

namespace ProductSearch.Search.Filtering;

/// <summary>
/// Reads a filter left to right, one clause at a time: <c>key = value</c>, then AND, OR or the end. Every error names
/// its 0-based position and what was expected there.
/// </summary>
internal sealed class FilterParser
{
    private readonly string _text;
    private readonly List<FilterTerm> _terms = [];
    private int _position;
    private int _clauses;

    // The AND that ended the last term, to say "after 'AND'" when no key follows it.
    private string? _and;

    private FilterParser(string text) => _text = text;

    public static List<FilterTerm> Parse(string text)
    {
        if (text.Length > ProductFilter.MaxLength)
        {
            throw Error(
                $"The filter is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; at most {ProductFilter.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} are allowed.",
                ProductFilter.MaxLength);
        }

        var parser = new FilterParser(text);
        parser.ParseExpression();
        return parser._terms;
    }

    private static FilterSyntaxException Error(string sentence, int position) => new(sentence, position);

    private void ParseExpression()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Error("The filter is empty: write at least one clause, such as 'color = red'.", _position);
        }

        while (true)
        {
            var (key, values) = ParseTerm();
            _terms.Add(new FilterTerm(key, values));
            if (AtEnd)
            {
                return;
            }
        }
    }

    // Clauses joined by OR, all on one key; returns after the AND that ends the term, or at the end.
    private (string Key, List<string> Values) ParseTerm()
    {
        var (key, value) = ParseClause(_and);
        var values = new List<string> { value };
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return (key, values);
            }

            var keywordAt = _position;
            var keyword = ReadWord();
            if (keyword.Equals(FilterKeywords.And, StringComparison.OrdinalIgnoreCase))
            {
                RequireClauseAfter(keyword);
                _and = keyword;
                return (key, values);
            }

            if (!keyword.Equals(FilterKeywords.Or, StringComparison.OrdinalIgnoreCase))
            {
                throw Error(
                    keyword.Length == 0
                        ? $"Unexpected '{_text[keywordAt]}' at position {keywordAt}: expected AND, OR or the end of the filter (a value with characters other than letters, digits and _ - . : + / is written in double quotes)."
                        : $"Expected AND or OR at position {keywordAt}, found '{keyword}'.",
                    keywordAt);
            }

            RequireClauseAfter(keyword);
            SkipWhitespace();
            var orKeyAt = _position;
            var (orKey, orValue) = ParseClause(keyword);
            if (orKey != key)
            {
                throw Error(
                    $"Clauses joined by OR must have the same key: '{orKey}' at position {orKeyAt} differs from '{key}'. Join different keys with AND.",
                    orKeyAt);
            }

            values.Add(orValue);
        }
    }

    private void RequireClauseAfter(string keyword)
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Error($"Expected a clause such as 'color = red' after '{keyword}' at position {_position}, but the filter ends there.", _position);
        }
    }

    private (string Key, string Value) ParseClause(string? previousKeyword)
    {
        SkipWhitespace();
        var keyAt = _position;
        if (++_clauses > ProductFilter.MaxClauses)
        {
            throw Error($"A filter has at most {ProductFilter.MaxClauses} clauses; clause {_clauses} starts at position {keyAt}.", keyAt);
        }

        var key = ReadWord();
        if (key.Length == 0)
        {
            var after = previousKeyword is null ? string.Empty : $" after '{previousKeyword}'";
            throw Error($"Expected a key{after} at position {keyAt}, found '{_text[keyAt]}'.", keyAt);
        }

        if (!FilterKey.IsValid(key))
        {
            throw Error(
                $"'{key}' at position {keyAt} is not a valid key: a key starts with a lowercase letter a-z, has only lowercase letters, digits, '_', '-' and '.', and at most {FilterKey.MaxLength} characters.",
                keyAt);
        }

        SkipWhitespace();
        if (AtEnd || _text[_position] != '=')
        {
            throw Error($"Expected '=' after '{key}' at position {_position}.", _position);
        }

        _position++;
        SkipWhitespace();
        return (key, ParseValue(key));
    }

    private string ParseValue(string key)
    {
        var valueAt = _position;
        if (AtEnd)
        {
            throw Error($"Expected a value after '{key} =' at position {valueAt}, but the filter ends there.", valueAt);
        }

        string value;
        if (_text[_position] == '"')
        {
            value = ReadQuoted();
        }
        else
        {
            value = ReadWord();
            if (value.Length == 0)
            {
                throw Error(
                    $"Expected a value after '{key} =' at position {valueAt}, found '{_text[valueAt]}': a value with characters other than letters, digits and _ - . : + / is written in double quotes.",
                    valueAt);
            }
        }

        if (value.Length == 0)
        {
            throw Error($"The value at position {valueAt} is empty: a value has 1 to {FilterValue.MaxLength} characters.", valueAt);
        }

        if (value.Length > FilterValue.MaxLength)
        {
            throw Error($"The value at position {valueAt} has {value.Length} characters; at most {FilterValue.MaxLength} are allowed.", valueAt);
        }

        // No label value starts or ends with whitespace: such a value would silently match nothing.
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw Error($"The value at position {valueAt} starts or ends with a space; label values never do.", valueAt);
        }

        return value;
    }

    private string ReadQuoted()
    {
        var openAt = _position++;
        var value = new StringBuilder();
        while (!AtEnd)
        {
            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return value.ToString();
            }

            if (c == '\\')
            {
                if (_position + 1 >= _text.Length || _text[_position + 1] is not ('"' or '\\'))
                {
                    throw Error($"Unknown escape at position {_position}: inside quotes only \\\" (a quote) and \\\\ (a backslash) are escapes.", _position);
                }

                value.Append(_text[_position + 1]);
                _position += 2;
                continue;
            }

            if (char.IsControl(c))
            {
                throw Error($"The value at position {openAt} holds a control character at position {_position}; label values never do.", _position);
            }

            value.Append(c);
            _position++;
        }

        throw Error($"The quoted value starting at position {openAt} has no closing '\"'.", openAt);
    }

    // A run of letters, digits and _ - . : + / (a key, a bare value or a keyword); empty when none starts here.
    private string ReadWord()
    {
        var start = _position;
        while (!AtEnd && FilterValue.IsBare(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private bool AtEnd => _position >= _text.Length;
}
