using ProductSearch.Cli.Tests.Infrastructure;

namespace ProductSearch.Cli.Tests;

/// <summary>Arguments refused before any storage is touched: each with its message and a non-zero exit code.</summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData("query needs one of --image <file> or --id <image id>.", "query", "--category", "men-tees")]
    [InlineData("query needs one of --image <file> or --id <image id>.", "query", "--category", "men-tees", "--id", "a.jpg", "--image", "a.jpg")]
    [InlineData("query needs --category <category>.", "query", "--id", "a.jpg")]
    [InlineData("--image: no file at 'no-such-photo.jpg'.", "query", "--category", "men-tees", "--image", "no-such-photo.jpg")]
    [InlineData("--top must be from 1 to 100, not 0.", "query", "--category", "men-tees", "--id", "a.jpg", "--top", "0")]
    [InlineData("--group is product or image, not 'colour'.", "query", "--category", "men-tees", "--id", "a.jpg", "--group", "colour")]
    [InlineData("--parallelism must be from 1 to 64, not 0.", "backfill", "--parallelism", "0")]
    [InlineData("--category '../x' is not a category name", "backfill", "--category", "../x")]
    [InlineData("Give --connection-string or --account, not both.", "stats", "--connection-string", "UseDevelopmentStorage=true", "--account", "shop")]
    [InlineData("--account 'My_Shop' is not a storage account name", "stats", "--account", "My_Shop")]
    [InlineData("--connection-string is not a storage connection string", "stats", "--connection-string", "not a connection string")]
    [InlineData("--container 'Product_Images' is not a valid container name", "reconcile", "--container", "Product_Images")]
    [InlineData("--table 'product-vectors' is not a valid table name", "stats", "--table", "product-vectors")]
    [InlineData("--model: no model descriptor at 'models/nope.json'", "backfill", "--model", "models/nope.json")]
    [InlineData("--target-table is the serving table (productvectors)", "reindex", "--model", "models/resnet18.json", "--target-table", "productvectors")]
    [InlineData("Unknown option 'categroy'", "backfill", "--categroy", "men-tees")]
    [InlineData("The folder 'no-such-folder' does not exist.", "import", "no-such-folder")]
    [InlineData("--csv 'no-such.csv' does not exist.", "import", ".", "--csv", "no-such.csv")]
    public async Task BadArguments_ExitNonZeroWithMessage(string message, params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }
}
