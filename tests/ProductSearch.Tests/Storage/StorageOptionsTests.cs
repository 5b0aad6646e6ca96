using System.ComponentModel.DataAnnotations;
using ProductSearch.Storage;

namespace ProductSearch.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("4 8 A N a d h o u", true)]
    [InlineData("", true)]
    [InlineData("  m  ", true)]
    [InlineData("8 4", false)] // not ascending: the ranges would overlap
    [InlineData("a a", false)]
    [InlineData("4 ~log", false)] // at or past '~', where the change log starts
    [InlineData("a/b", false)] // an escaped character: no encoded key contains it
    [InlineData("5%41", false)] // "%" itself is escaped
    public void LoadRangeSplitsMustBeAscendingImageKeys(string splits, bool valid)
    {
        var options = new StorageOptions { LoadRangeSplits = splits };

        var results = new List<ValidationResult>();
        var passed = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(valid, passed);
        Assert.All(results, r => Assert.Contains("Storage:LoadRangeSplits", r.ErrorMessage));
    }

    [Fact]
    public void LoadRangeSplitKeysAreTheSpaceSeparatedKeys()
    {
        Assert.Equal(["4", "8", "A", "N", "a", "d", "h", "o", "u"], new StorageOptions().LoadRangeSplitKeys);
        Assert.Empty(new StorageOptions { LoadRangeSplits = " " }.LoadRangeSplitKeys);
    }
}
