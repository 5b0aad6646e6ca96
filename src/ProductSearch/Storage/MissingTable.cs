using Azure;

namespace ProductSearch.Storage;

/// <summary>
/// Reads of a table nobody has written to yet: storage answers 404, and the read means "nothing there" (a shop whose
/// first photos land before anything was indexed). One place, so every reader treats it alike.
/// </summary>
internal static class MissingTable
{
    /// <summary>The read's result, or <paramref name="whenMissing"/> when the table does not exist.</summary>
    public static async Task<T?> OrAsync<T>(Func<Task<T>> read, T? whenMissing = default)
    {
        try
        {
            return await read();
        }
        catch (RequestFailedException e) when (IsMissing(e))
        {
            return whenMissing;
        }
    }

    /// <summary>Whether storage answered that the table (or an entity the request needed) is not there.</summary>
    public static bool IsMissing(RequestFailedException e) => e.Status == 404;
}
