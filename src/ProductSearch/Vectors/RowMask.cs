using System.Numerics;

namespace ProductSearch.Vectors;

/// <summary>
/// The rows of a matrix a search may return (a filter's matching products), one bit per row, 64 rows to a word: the
/// scan skips a 64-row block whose word is 0, and a sparse mask is walked bit by bit. Built under the same read lock
/// as the search it restricts, since rows move when images are removed.
/// </summary>
internal sealed class RowMask
{
    private readonly ulong[] _words;

    private RowMask(ulong[] words, int rows)
    {
        _words = words;
        Rows = rows;
        var count = 0;
        foreach (var word in words)
        {
            count += BitOperations.PopCount(word);
        }

        Count = count;
    }

    /// <summary>Rows of the matrix the mask covers: the matrix's count when it was built.</summary>
    public int Rows { get; }

    /// <summary>Rows allowed.</summary>
    public int Count { get; }

    /// <summary>Words of 64 rows, row r at bit r % 64 of word r / 64; bits past <see cref="Rows"/> are 0.</summary>
    internal ReadOnlySpan<ulong> Words => _words;

    public bool Contains(int row) => (uint)row < (uint)Rows && (_words[row >> 6] & (1UL << row)) != 0;

    /// <summary>No row: a filter nothing matches.</summary>
    public static RowMask None(int rows) => new(new ulong[WordCount(rows)], rows);

    /// <summary>The rows for which <paramref name="allowed"/> holds.</summary>
    public static RowMask FromPredicate(int rows, Func<int, bool> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var words = new ulong[WordCount(rows)];
        for (var row = 0; row < rows; row++)
        {
            words[row >> 6] |= (allowed(row) ? 1UL : 0UL) << row;
        }

        return new RowMask(words, rows);
    }

    /// <summary>
    /// The rows whose product matches: <paramref name="productOfRow"/> gives each row's product ordinal (negative: none,
    /// never allowed) and <paramref name="productMatches"/> whether each product matches, so a filter is evaluated once
    /// per product, not per image.
    /// </summary>
    public static RowMask FromProducts(ReadOnlySpan<int> productOfRow, ReadOnlySpan<bool> productMatches)
    {
        var words = new ulong[WordCount(productOfRow.Length)];
        for (var row = 0; row < productOfRow.Length; row++)
        {
            var product = productOfRow[row];
            var allowed = (uint)product < (uint)productMatches.Length && productMatches[product];
            words[row >> 6] |= (allowed ? 1UL : 0UL) << row;
        }

        return new RowMask(words, productOfRow.Length);
    }

    /// <summary>Exactly the rows listed (each below <paramref name="rows"/>).</summary>
    public static RowMask FromRows(int rows, IEnumerable<int> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var words = new ulong[WordCount(rows)];
        foreach (var row in allowed)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)rows, nameof(allowed));
            words[row >> 6] |= 1UL << row;
        }

        return new RowMask(words, rows);
    }

    private static int WordCount(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return (rows + 63) >> 6;
    }
}
