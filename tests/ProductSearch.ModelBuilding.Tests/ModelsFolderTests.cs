namespace ProductSearch.ModelBuilding.Tests;

public sealed class ModelsFolderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void ModelsFolderIsBesideTheSolutionAboveTheStartDirectory()
    {
        File.WriteAllText(_directory.File("Functions.sln"), string.Empty);
        var nested = Directory.CreateDirectory(_directory.File("src/ProductSearch.Cli")).FullName;

        Assert.Equal(_directory.File("models"), ModelsFolder.Locate(nested));
    }

    [Fact]
    public void WithoutASolutionTheStartDirectoryModelsFolderIsUsed()
    {
        var start = Directory.CreateDirectory(_directory.File("anywhere")).FullName;

        // Temp folders have no Functions.sln above them on any sane machine.
        Assert.Equal(Path.Combine(start, "models"), ModelsFolder.Locate(start));
    }

    public void Dispose() => _directory.Dispose();
}
