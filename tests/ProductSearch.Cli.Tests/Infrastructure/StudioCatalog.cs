
namespace ProductSearch.Cli.Tests.Infrastructure;

/// <summary>
/// Three shots each of four generated products in category <c>studio</c>, indexed once and shared by the tests
/// that only read it: the nearest shots are certain to be the same product's. It lives as long as the Azurite
/// of the test run, which takes it along when it stops.
/// </summary>
public static class StudioCatalog
{
    public const string Category = "studio";
    public const int Products = 4;
    public const int Shots = 3;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static CliCatalog? _catalog;

    public static async Task<CliCatalog> GetAsync(AzuriteFixture azurite)
    {
        await Gate.WaitAsync();
        try
        {
            return _catalog ??= await CreateAsync(azurite);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<CliCatalog> CreateAsync(AzuriteFixture azurite)
    {
        var catalog = new CliCatalog(azurite);
        for (var product = 0; product < Products; product++)
        {
            for (var shot = 0; shot < Shots; shot++)
            {
                await catalog.UploadAsync($"{Category}/p{product}-s{shot}.jpg", ProductPhotoGenerator.Jpeg(product, shot), $"p{product}");
            }
        }

        var backfill = await CliRun.RunAsync(catalog.Args("backfill"));
        return backfill.ExitCode == 0 ? catalog : throw new InvalidOperationException("The studio catalogue could not be indexed:\n" + backfill.Output);
    }
}
