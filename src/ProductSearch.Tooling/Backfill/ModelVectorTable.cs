using System.Security.Cryptography;
using System.Text;

namespace ProductSearch.Tooling.Backfill;

/// <summary>
/// Where a reindex with another model writes: a table of its own, named after the model. Why a separate
/// table rather than rows tagged by model beside the serving ones: the indexer skips a blob version already
/// in its table whatever model wrote it, rows are keyed by image (one vector per image and table), and the
/// serving table must stay untouched until the switch, so that queries keep their answers and a switch back
/// is only a setting.
/// </summary>
public static class ModelVectorTable
{
    private const string Prefix = "vectors";
    private const int MaxTableNameLength = 63;

    /// <summary><c>vectors</c> + the model id's letters and digits, lower-cased (<c>vectorsresnet18imagenetavg</c>).</summary>
    public static string NameFor(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var name = Prefix + new string([.. modelId.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        if (name.Length <= MaxTableNameLength)
        {
            return name;
        }

        // Long ids keep a readable start and a hash of the whole id, so two long ids never share a table.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(modelId)))[..8];
        return name[..(MaxTableNameLength - hash.Length)] + hash;
    }
}
