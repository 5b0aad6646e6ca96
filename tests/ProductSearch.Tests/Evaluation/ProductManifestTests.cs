using ProductSearch.Tooling.Evaluation;

namespace ProductSearch.Tests.Evaluation;

public sealed class ProductManifestTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.csv");

    [Fact]
    public void QuotedFieldsWithCommasAndQuotes_AreReadWhole()
    {
        File.WriteAllText(_path, "path,category,product_id,source_path,style_id\nshop/tees/a.jpg,tees,\"A, \"\"Aero\"\"\",\"x,y\",S1\nshop/tees/b.jpg,tees,B,,\n");

        var entries = ProductManifest.Read(_path);

        Assert.Equal([new("shop/tees/a.jpg", "tees", "A, \"Aero\"", "S1"), new ManifestEntry("shop/tees/b.jpg", "tees", "B", null)], entries);
    }

    [Fact]
    public void ARowShortOfTheNeededColumns_IsRefusedWithItsLine()
    {
        File.WriteAllText(_path, "path,category,product_id\nshop/tees/a.jpg,tees,A\nshop/tees/b.jpg,tees\n");

        var error = Assert.Throws<InvalidDataException>(() => ProductManifest.Read(_path));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_path);
}
