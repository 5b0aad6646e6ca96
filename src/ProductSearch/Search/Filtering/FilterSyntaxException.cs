namespace ProductSearch.Search.Filtering;

/// <summary>A filter that does not follow the syntax: the message says what was expected, and where, in words a shop developer can act on.</summary>
public sealed class FilterSyntaxException : FormatException
{
    public FilterSyntaxException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    public FilterSyntaxException()
    {
    }

    public FilterSyntaxException(string message)
        : base(message)
    {
    }

    public FilterSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in the filter text the error is, 0-based.</summary>
    public int Position { get; }
}
